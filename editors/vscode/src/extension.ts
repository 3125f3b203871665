// The classadlint extension: a thin client. Highlighting comes from the TextMate grammars
// in syntaxes/; everything else (diagnostics, hover, completion, fixes) from the language
// server, `classadlint lsp`, which this starts over stdio.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

export const CONFIG_LANGUAGE = "htcondor-config";
export const CLASSAD_LANGUAGE = "classad";
const LANGUAGES = [CONFIG_LANGUAGE, CLASSAD_LANGUAGE];

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
let output: vscode.OutputChannel | undefined;

/** The command line of the server from the settings: `classadlint.path lsp ...classadlint.args`. */
export function serverCommand(settings: vscode.WorkspaceConfiguration): {
  command: string;
  args: string[];
} {
  const command = settings.get<string>("path", "classadlint").trim() || "classadlint";
  const extra = settings.get<string[]>("args", []).filter((a) => typeof a === "string");
  return { command, args: ["lsp", ...extra] };
}

function isOurs(document: vscode.TextDocument): boolean {
  return LANGUAGES.includes(document.languageId);
}

/** Open a document as HTCondor config when it matches a `classadlint.configFiles` glob. */
async function applyAssociation(document: vscode.TextDocument): Promise<void> {
  if (document.languageId === CONFIG_LANGUAGE || document.uri.scheme !== "file") {
    return;
  }
  const patterns = vscode.workspace
    .getConfiguration("classadlint", document.uri)
    .get<string[]>("configFiles", []);
  for (const pattern of patterns) {
    if (vscode.languages.match({ pattern }, document) > 0) {
      await vscode.languages.setTextDocumentLanguage(document, CONFIG_LANGUAGE);
      return;
    }
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    return;
  }
  const { command, args } = serverCommand(vscode.workspace.getConfiguration("classadlint"));
  const run = { command, args, transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher(
        "**/{pyproject.toml,.classadlint.toml}",
      ),
    },
    outputChannel: output,
  };
  const created = new LanguageClient(
    "classadlint",
    "classadlint language server",
    serverOptions,
    clientOptions,
  );
  client = created;
  try {
    await created.start();
  } catch (err) {
    client = undefined;
    const message = err instanceof Error ? err.message : String(err);
    const choice = await vscode.window.showErrorMessage(
      `classadlint: could not start \`${command} ${args.join(" ")}\` (${message}). ` +
        "Install classadlint with pip, or set classadlint.path to its executable.",
      "Open Settings",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "classadlint.path");
    }
  }
}

function ensureStarted(context: vscode.ExtensionContext): Promise<void> {
  if (!starting) {
    starting = startClient(context).finally(() => {
      starting = undefined;
    });
  }
  return starting;
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    await old.stop();
  }
  await ensureStarted(context);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("classadlint");
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand("classadlint.restartServer", () => restart(context)),
    vscode.commands.registerCommand("classadlint.showOutput", () => output?.show()),
    // The server starts with the first HTCondor or ClassAd document, not with VS Code.
    vscode.workspace.onDidOpenTextDocument(async (document) => {
      await applyAssociation(document);
      if (isOurs(document)) {
        await ensureStarted(context);
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (
        client &&
        (event.affectsConfiguration("classadlint.path") ||
          event.affectsConfiguration("classadlint.args"))
      ) {
        await restart(context);
      }
      if (event.affectsConfiguration("classadlint.configFiles")) {
        await Promise.all(vscode.workspace.textDocuments.map(applyAssociation));
      }
    }),
  );

  await Promise.all(vscode.workspace.textDocuments.map(applyAssociation));
  if (vscode.workspace.textDocuments.some(isOurs)) {
    await ensureStarted(context);
  }
}

export async function deactivate(): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    await old.stop();
  }
}
