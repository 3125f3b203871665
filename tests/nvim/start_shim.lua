-- Debian 12 ships Neovim 0.7, whose client has start_client and buf_attach_client but
-- not vim.lsp.start (0.8+), which the README's snippet uses: the same, for the test.
if not vim.lsp.start then
  vim.lsp.start = function(config)
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(vim.api.nvim_get_current_buf(), id)
    return id
  end
end
