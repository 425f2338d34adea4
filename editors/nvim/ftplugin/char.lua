-- charcheck's language server for *.char files (Neovim 0.8+, docs/editors.md)
local root = vim.fs.dirname(vim.api.nvim_buf_get_name(0))
vim.lsp.start({ name = 'charcheck', cmd = { 'charcheck', 'lsp' }, root_dir = root })
