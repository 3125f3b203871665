-- Headless Neovim smoke test for `classadlint lsp` (run by tests/test_lsp_nvim.py after
-- the README's Neovim block has set up the client and the file has been opened): waits
-- for diagnostics and writes them, one "line:col code message" per line, to
-- $CLASSADLINT_OUT, then quits.
local out = os.getenv("CLASSADLINT_OUT")
local bufnr = vim.api.nvim_get_current_buf()
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
for _, client in pairs(vim.lsp.get_active_clients()) do
  client.stop()
end
vim.cmd("qa!")
