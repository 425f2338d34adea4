-- tools/screenshot.lua - the Neovim session that tools/screenshot.sh
-- photographs: models/seed.char with editors/vim and editors/nvim loaded,
-- the failing check's diagnostic, and the hover window over it.
local root = os.getenv('ROOT')
vim.opt.runtimepath:prepend(root .. '/editors/vim')
vim.opt.runtimepath:prepend(root .. '/editors/nvim')
vim.cmd('runtime! ftdetect/char.vim')
vim.cmd('filetype plugin on')
vim.cmd('syntax on')
vim.o.number = true
vim.o.laststatus = 2
vim.o.shortmess = vim.o.shortmess .. 'F'
vim.cmd('edit ' .. os.getenv('MODEL'))
local function hover_when_checked()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.message:find('check fails', 1, true) then
      vim.api.nvim_win_set_cursor(0, { d.lnum + 1, 6 })
      vim.cmd('normal! zb')
      vim.lsp.buf.hover()
      return
    end
  end
  vim.defer_fn(hover_when_checked, 100)
end
vim.defer_fn(hover_when_checked, 100)
