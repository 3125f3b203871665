-- Headless Neovim smoke test for `classadlint lsp` (run by tests/test_lsp_nvim.py).
-- Opens the file given in $CLASSADLINT_FILE, starts the server with the client that
-- Neovim itself ships (vim.lsp.start on 0.8+, start_client + buf_attach_client on 0.7),
-- waits for diagnostics and writes them, one "line:col code message" per line, to
-- $CLASSADLINT_OUT, then quits.
local file = os.getenv("CLASSADLINT_FILE")
local out = os.getenv("CLASSADLINT_OUT")
local exe = os.getenv("CLASSADLINT_EXE")
vim.cmd("edit " .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local config = {
  name = "classadlint",
  cmd = { exe, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
}
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, client_id)
end
local ok = vim.wait(30000, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 50)
local lines = {}
if not ok then
  table.insert(lines, "TIMEOUT")
end
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  table.insert(lines, string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, tostring(code), d.message))
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(client_id)
vim.cmd("qa!")
