"""The language server: LSP methods wired to the modules that answer them.

Linting runs on one worker thread, so the event loop keeps reading messages while a large
file is checked and lints never overlap; a request that needs the model of a changed
buffer waits for that thread to bring it up to date. Edits are debounced (the last
keystroke of a burst starts the lint), open and save lint at once. Every handler is
guarded: a failure is logged to the client and answered with "nothing", never with a
crashed server.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from classadlint import __version__
from classadlint.lint.engine import load_rules
from classadlint.lint.fix import select_fixes
from classadlint.lint.rule import LoadedRule
from classadlint.lsp import code_actions, completion, hover, navigation, symbols
from classadlint.lsp.background import FullJob, FullLinter, FullResult
from classadlint.lsp.diagnostics import rule_href, to_lsp
from classadlint.lsp.evaluate import COMMAND as EVALUATE
from classadlint.lsp.evaluate import EvaluateError, evaluate_at
from classadlint.lsp.locate import Target, include_target, target_at
from classadlint.lsp.positions import lsp_range, offset_at, path_to_uri, uri_to_path, use_codec
from classadlint.lsp.projects import Projects, Snapshot, is_current
from classadlint.lsp.workspace import ServerOptions, is_settings_file, read_settings
from classadlint.source import SourceFile

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

#: Per file: its diagnostics (None: unchanged since last published), its version, and
#: whether the result is complete (False: slow rules still to come).
Payload = list[tuple[str, list[types.Diagnostic] | None, int | None, bool]]
#: Sent after each lint for every file it covered: ``{uri, version, complete}``. Clients
#: may ignore it (``$/``); tests and the benchmark wait for ``complete``.
STATUS = "$/classadlint/linted"


class ClassAdLintServer(LanguageServer):
    """pygls server plus the classadlint state (see :mod:`classadlint.lsp.projects`)."""

    def __init__(self) -> None:
        super().__init__(
            "classadlint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.state = Projects()
        self.options = ServerOptions()
        self.root: Path | None = None
        self.rules: tuple[LoadedRule, ...] = ()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classadlint-lint")
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.edits = 0  # didChange notifications received: a full lint gives way to a new one
        self.full: FullLinter | None = None  # the child process for full lints
        self.last_edit: dict[str, int] = {}  # path -> value of `edits` at its last change
        self.full_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classadlint-full")
        self.uris: dict[str, str] = {}  # path -> the URI the client uses for it
        self.published: dict[str, tuple[Any, ...]] = {}  # path -> what was sent last
        self.frozen = False  # gc.freeze() done (see _freeze)

    # --- buffers -------------------------------------------------------------------------
    def path_of(self, uri: str) -> str | None:
        path = uri_to_path(uri)
        if path is None:
            return None
        resolved = str(Path(path).resolve())
        self.uris.setdefault(resolved, uri)
        return resolved

    def buffers(self) -> tuple[dict[str, str], dict[str, int | None]]:
        """Open documents' texts and versions, by resolved path."""
        texts: dict[str, str] = {}
        versions: dict[str, int | None] = {}
        for uri, doc in list(self.workspace.text_documents.items()):
            path = self.path_of(uri)
            if path is not None:
                texts[path] = doc.source
                versions[path] = doc.version
        return texts, versions

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def warn_user(self, message: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=message)
        )

    # --- linting -------------------------------------------------------------------------
    def source_of(self, snap: Snapshot | None) -> Callable[[str], SourceFile | None]:
        def source(path: str) -> SourceFile | None:
            view = self.state.view(path)
            for s in (view, snap):
                if s is not None and path in s.project.sources:
                    return s.project.sources[path]
            return None

        return source

    def href(self, code: str) -> str:
        return rule_href(code, self.rules, self.options.rule_docs_url)

    def _payload(self, roots: Iterable[str], versions: dict[str, int | None]) -> Payload:
        """What to publish after ``roots`` were linted (worker thread): every file they
        read, files no configuration reads any more (emptied), unchanged ones skipped."""
        shown = self.state.shown_files()
        files = {f for r in roots if (s := self.state.snapshots.get(r)) for f in s.files}
        files |= set(roots) | {f for f in self.published if f not in shown}
        out: Payload = []
        for path in sorted(files):
            view = self.state.view(path)
            found = self.state.diagnostics_of(path) if path in shown else []
            complete = view is None or not view.deferred
            key = (versions.get(path), tuple(found))
            if self.published.get(path) == key:
                out.append((path, None, versions.get(path), complete))
                continue
            self.published[path] = key
            source = self.source_of(view)
            lsp = [to_lsp(d, source, self.href) for d in found]
            out.append((path, lsp, versions.get(path), complete))
        return out

    def _job(
        self,
        texts: dict[str, str],
        versions: dict[str, int | None],
        changed: set[str],
        full: bool,
        debounced: bool = False,
        edits: int = 0,
    ) -> tuple[list[str], Payload]:
        """Worker thread: the quick lint (or the full one) of the roots ``changed`` touch;
        a debounced lint whose file was edited again after it read the buffers is dropped
        (the lint of that edit follows: a burst of typing costs one lint, not one per
        keystroke)."""
        if debounced and any(self.last_edit.get(p, 0) > edits for p in changed):
            return [], []
        roots = self.state.update(texts, changed, quick=not full)
        self._report_problems(roots)
        return roots, self._payload(roots, versions)

    def _accept(self, result: FullResult, versions: dict[str, int | None]) -> Payload:
        """Worker thread: the child's full result, if the buffers have not moved on."""
        if not self.state.accept_full(result):
            return []
        self._report_problems([result.root])
        return self._payload([result.root], versions)

    def _report_problems(self, roots: Iterable[str]) -> None:
        for root in roots:
            for problem in self.state.snapshots[root].problems:
                self.log(f"classadlint: {problem} (rule skipped)", types.MessageType.Error)

    def publish(self, payload: Payload) -> None:
        for path, diagnostics, version, complete in payload:
            uri = self.uris.get(path, path_to_uri(path))
            if diagnostics is not None:
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(
                        uri=uri, diagnostics=diagnostics, version=version
                    )
                )
            self.protocol.notify(STATUS, {"uri": uri, "version": version, "complete": complete})

    async def lint(self, changed: set[str], full: bool = False, debounced: bool = False) -> None:
        """Bring the state up to date with the buffers and publish what changed: at once
        without the slow rules, then in the background (unless an edit comes first) with
        them."""
        texts, versions = self.buffers()
        edits = self.edits
        loop = asyncio.get_running_loop()
        try:
            roots, payload = await loop.run_in_executor(
                self.worker, self._job, texts, versions, changed, full, debounced, edits
            )
        except Exception as exc:  # an engine bug must not take the editor's server down
            self._failed(exc)
            return
        self.publish(payload)
        if not full:
            self.complete_later(roots, versions, edits)
        if roots and not self.frozen:
            await loop.run_in_executor(self.worker, self._freeze)

    def _freeze(self) -> None:
        """Worker thread, once, after the first lint has published: what is alive then
        (modules, rule catalogs, parse tables, the caches' first contents) lives as long
        as the server, so it goes out of the garbage collector's sight (``gc.freeze``).
        Each edit builds a new model that survives into the oldest generation, so full
        collections came every edit or two, and each rescanned that permanent part too:
        50-100 ms pauses landing inside the next quick lint. A snapshot dropped later is
        freed by reference counting (the models hold no cycles), frozen or not."""
        if self.frozen:
            return
        self.frozen = True
        gc.collect()
        gc.freeze()

    def complete_later(
        self, roots: Iterable[str], versions: dict[str, int | None], edits: int
    ) -> None:
        """Ask the child process for the full lint of roots whose last lint was quick
        (unless an edit came since: its own lint will ask)."""
        if edits != self.edits:
            return
        for root in roots:
            snap = self.state.snapshots.get(root)
            if snap is not None and snap.deferred:
                job = FullJob(root, dict(snap.texts), self.state.settings, edits)
                self.background(self._full(job, versions))

    async def _full(self, job: FullJob, versions: dict[str, int | None]) -> None:
        """The full lint of one root in the child process, published when it comes."""
        loop = asyncio.get_running_loop()
        if self.full is None or not self.full.alive:
            if self.full is not None:
                self.log("classadlint: the full-lint process died; starting another")
            self.full = FullLinter()
            self.full.want(self.edits)
        try:
            result = await loop.run_in_executor(self.full_thread, self.full.run, job)
            if result is None:
                return  # cancelled by an edit
            if result.error is not None:
                self.log(f"classadlint: full lint failed: {result.error}", types.MessageType.Error)
                return
            payload = await loop.run_in_executor(self.worker, self._accept, result, versions)
        except Exception as exc:
            self._failed(exc)
            return
        self.publish(payload)

    def _failed(self, exc: Exception) -> None:
        log.exception("lint failed", exc_info=exc)
        self.log(f"classadlint: lint failed: {type(exc).__name__}: {exc}", types.MessageType.Error)

    def background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self.tasks.discard)

    def schedule(self, path: str) -> None:
        """Lint ``path`` after the debounce delay (a newer edit restarts the wait)."""
        old = self.timers.pop(path, None)
        if old is not None:
            old.cancel()
        delay = self.options.debounce_ms / 1000
        loop = asyncio.get_running_loop()

        def fire() -> None:
            self.timers.pop(path, None)
            self.background(self.lint({path}, debounced=True))

        self.timers[path] = loop.call_later(delay, fire)

    async def now(self, changed: set[str]) -> None:
        for path in changed:
            timer = self.timers.pop(path, None)
            if timer is not None:
                timer.cancel()
        await self.lint(changed)

    async def view(self, uri: str) -> tuple[Snapshot, str, SourceFile] | None:
        """The up-to-date snapshot a document is shown in (linting it first if an edit is
        still waiting for its debounce), with the document's path and text."""
        path = self.path_of(uri)
        if path is None:
            return None
        texts, _ = self.buffers()
        snap = self.state.view(path)
        if snap is None or not is_current(snap, texts):
            await self.now({path})
            snap = self.state.view(path)
        if snap is None:
            return None
        src = snap.source(path)
        return (snap, path, src) if src is not None else None

    async def target(
        self, uri: str, position: types.Position
    ) -> tuple[Snapshot, str, SourceFile, Target] | None:
        """What is at an editor position (see :mod:`classadlint.lsp.locate`)."""
        found = await self.view(uri)
        if found is None:
            return None
        snap, path, src = found
        target = target_at(snap.project, path, offset_at(src, position))
        return (snap, path, src, target) if target is not None else None

    # --- settings ------------------------------------------------------------------------
    async def load_settings(self) -> None:
        root = self.root or Path.cwd()
        settings, problem = read_settings(root)
        if problem is not None:
            self.warn_user(f"classadlint: {problem}; using the default settings")
        try:
            self.rules = load_rules(settings)
        except Exception as exc:  # a broken site rule: keep the built-in rules
            self.warn_user(f"classadlint: {exc}; site rules not loaded")
            settings = replace(settings, rule_dirs=())
            try:
                self.rules = load_rules(settings)
            except Exception as builtin:  # a broken installation: say so, lint nothing
                self.warn_user(f"classadlint: the built-in rules do not load: {builtin}")
                return
        loop = asyncio.get_running_loop()
        texts, versions = self.buffers()
        edits = self.edits

        def job() -> tuple[list[str], Payload]:
            self.state.texts = texts
            roots = self.state.set_settings(settings)
            return roots, self._payload(roots, versions)

        roots, payload = await loop.run_in_executor(self.worker, job)
        self.publish(payload)
        self.complete_later(roots, versions, edits)


def _client_reads_markdown(ls: ClassAdLintServer) -> bool:
    """Whether the client shows Markdown in completion documentation (VS Code and Neovim
    say so in ``documentationFormat``); otherwise items carry the same text as plain text."""
    caps = ls.client_capabilities.text_document
    item = caps.completion.completion_item if caps and caps.completion else None
    formats = item.documentation_format if item is not None else None
    return formats is not None and types.MarkupKind.Markdown in formats


def guarded(
    fn: Callable[P, Awaitable[R | None]],
) -> Callable[P, Awaitable[R | None]]:
    """A handler that logs its failure and answers None instead of raising."""

    @functools.wraps(fn)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return await fn(*args, **kwargs)
        except Exception as exc:
            log.exception("handler failed")
            server = args[0]
            if isinstance(server, ClassAdLintServer):
                server.log(
                    f"classadlint: {fn.__name__} failed: {type(exc).__name__}: {exc}",
                    types.MessageType.Error,
                )
            return None

    return run


def create_server() -> ClassAdLintServer:
    server = ClassAdLintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: ClassAdLintServer, params: types.InitializeParams) -> None:
        root_uri = params.root_uri
        if params.workspace_folders:
            root_uri = params.workspace_folders[0].uri
        root = uri_to_path(root_uri) if root_uri else params.root_path
        if root and Path(root).is_dir():
            ls.root = Path(root).resolve()
            os.chdir(ls.root)  # relative paths of settings and includes, as `check` there
        ls.options, problems = ServerOptions.from_json(params.initialization_options)
        for problem in problems:
            ls.warn_user(f"classadlint: {problem}")

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: ClassAdLintServer, params: None) -> None:
        if ls.full is not None:
            ls.full.close()

    @server.feature(types.INITIALIZED)
    @guarded
    async def initialized(ls: ClassAdLintServer, params: types.InitializedParams) -> None:
        use_codec(ls.workspace.position_codec)  # the encoding agreed at initialization
        ls.full = FullLinter()  # started now: it imports the engine while files are opened
        await ls.load_settings()

    @guarded
    async def open_or_close(
        ls: ClassAdLintServer,
        params: types.DidOpenTextDocumentParams | types.DidCloseTextDocumentParams,
    ) -> None:
        """Lint at once: an opened file is a new configuration; a closed one is no longer
        one, and the files it read are shown in another view or emptied."""
        path = ls.path_of(params.text_document.uri)
        if path is not None:
            await ls.now({path})

    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(open_or_close)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(open_or_close)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded
    async def did_change(ls: ClassAdLintServer, params: types.DidChangeTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        ls.edits += 1
        if ls.full is not None:
            ls.full.want(ls.edits)  # the full lint in progress is stale: it gives up
        if path is not None:
            ls.last_edit[path] = ls.edits
            ls.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded
    async def did_save(ls: ClassAdLintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        if path is None:
            return
        if is_settings_file(path):
            await ls.load_settings()
        else:
            await ls.now({path})

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded
    async def watched(ls: ClassAdLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = {p for c in params.changes if (p := ls.path_of(c.uri)) is not None}
        if any(is_settings_file(p) for p in paths):
            await ls.load_settings()
        elif paths:
            await ls.now(paths)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded
    async def on_hover(ls: ClassAdLintServer, params: types.HoverParams) -> types.Hover | None:
        found = await ls.target(params.text_document.uri, params.position)
        if found is None:
            return None
        snap, path, src, target = found
        include = None
        if target.kind == "include" and target.statement is not None:
            include = include_target(target.statement, path, snap.project)
        text = hover.hover_text(
            target, snap.project, ls.rules, ls.options.rule_docs_url, ls.root, include
        )
        if text is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=lsp_range(src, target.span.start, target.span.end),
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["(", "."]),
    )
    @guarded
    async def on_completion(
        ls: ClassAdLintServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        found = await ls.view(params.text_document.uri)
        if found is None:
            return None
        snap, path, src = found
        offset = offset_at(src, params.position)
        line = params.position.line + 1
        prefix = src.text[src.offset(line, 1) : offset] if line <= src.line_count else ""
        return completion.complete(
            snap.project, path, line, offset, prefix, markdown=_client_reads_markdown(ls)
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded
    async def on_definition(
        ls: ClassAdLintServer, params: types.DefinitionParams
    ) -> list[types.Location] | None:
        found = await ls.target(params.text_document.uri, params.position)
        if found is None:
            return None
        snap, path, _, target = found
        if target.kind == "include" and target.statement is not None:
            file = include_target(target.statement, path, snap.project)
            if file is None:
                return None
            start = types.Position(line=0, character=0)
            return [
                types.Location(
                    uri=path_to_uri(str(file)), range=types.Range(start=start, end=start)
                )
            ]
        if target.kind in ("macro", "knob"):
            return navigation.definitions(snap.project, target.name) or None
        return None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded
    async def on_references(
        ls: ClassAdLintServer, params: types.ReferenceParams
    ) -> list[types.Location] | None:
        found = await ls.target(params.text_document.uri, params.position)
        if found is None or found[3].kind not in ("macro", "knob"):
            return None
        snap, _, _, target = found
        return navigation.references(snap.project, target.name, params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded
    async def on_symbols(
        ls: ClassAdLintServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | None:
        found = await ls.view(params.text_document.uri)
        if found is None:
            return None
        snap, path, src = found
        parsed = snap.project.model.files.get(path)
        return symbols.document_symbols(src, parsed) if parsed is not None else None

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, code_actions.FIX_ALL_KIND]
        ),
    )
    @guarded
    async def on_code_action(
        ls: ClassAdLintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        found = await ls.view(params.text_document.uri)
        if found is None:
            return None
        snap, path, src = found
        source = ls.source_of(snap)
        diagnostics = snap.diagnostics_of(path)
        only = params.context.only
        out: list[types.CodeAction] = []
        if not only or any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only):
            out += code_actions.quick_fixes(
                diagnostics,
                lambda d: to_lsp(d, source, ls.href),
                src,
                snap.project.model.files.get(path),
                source,
                params.range,
            )
        wants_fix_all = not only or any(code_actions.FIX_ALL_KIND.startswith(k) for k in only)
        if wants_fix_all and select_fixes(diagnostics):
            texts, _ = ls.buffers()
            loop = asyncio.get_running_loop()
            new_text, count = await loop.run_in_executor(
                ls.worker,
                code_actions.fix_all_text,
                snap.root,
                path,
                {**texts, path: src.text},
                ls.state.settings,
                ls.state.cache,
                ls.state.memo,
            )
            if count:
                out.append(code_actions.fix_all_action(src, new_text, count))
        return out

    @server.command(EVALUATE)
    @guarded
    async def on_evaluate(ls: ClassAdLintServer, *args: Any) -> dict[str, Any] | None:
        uri, position = _evaluate_arguments(args)
        found = await ls.view(uri)
        if found is None:
            return {"error": f"{uri} is not an open document"}
        snap, path, _ = found
        try:
            result = evaluate_at(snap.project, path, position.line + 1, ls.state.settings)
        except EvaluateError as exc:
            ls.warn_user(f"classadlint: {exc}")
            return {"error": str(exc)}
        ls.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=result.message())
        )
        return result.to_json()

    return server


def _evaluate_arguments(args: tuple[Any, ...]) -> tuple[str, types.Position]:
    """``[uri, {line, character}]`` or ``[{uri, position}]`` (what clients send)."""
    if len(args) == 1 and isinstance(args[0], dict):
        arg = args[0]
        uri = arg.get("uri") or arg.get("textDocument", {}).get("uri")
        pos = arg.get("position", {})
    elif len(args) >= 2:
        uri, pos = args[0], args[1]
    else:
        raise ValueError("classadlint.evaluate takes a document URI and a position")
    if not isinstance(uri, str) or not isinstance(pos, dict):
        raise ValueError("classadlint.evaluate takes a document URI and a position")
    return uri, types.Position(line=int(pos.get("line", 0)), character=int(pos.get("character", 0)))


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING)
    create_server().start_io()
