-- tests/lsp/nvim.lua - Neovim as the language server's client (run by
-- tests/lsp/nvim.sh: nvim --headless --clean -c 'luafile tests/lsp/nvim.lua').
-- Opens a copy of models/seed.char with a misspelt feature, and asserts on
-- what Neovim holds and shows: the error on its line, no error after the
-- fix, the failing check after :write, the PASS/FAIL code lenses, the
-- verdict in the hover window,
-- the jump to a declaration, the formatted buffer, MethodNotFound for an
-- unknown method and a clean exit.  Works with Neovim 0.7 and later.
-- Environment: CHARCHECK (the binary), LSP_TMP (a scratch directory).

local bin = assert(os.getenv('CHARCHECK'), 'CHARCHECK not set')
local tmp = assert(os.getenv('LSP_TMP'), 'LSP_TMP not set')
local npass, nfail = 0, 0

local function say(s)
  io.stdout:write(s .. '\n')
end

local function check(name, ok, detail)
  if ok then
    npass = npass + 1
    say('[PASS] nvim ' .. name)
  else
    nfail = nfail + 1
    say('[FAIL] nvim ' .. name .. (detail and (': ' .. detail) or ''))
  end
end

local function finish()
  say(string.format('%d passed, %d failed', npass, nfail))
  vim.cmd(nfail == 0 and 'qall!' or 'cquit!')
end

-- The model, broken: 'wached' for 'watched' on line 63.
local src = io.open('models/seed.char'):read('*a')
local good = vim.split(src, '\n', true)
if good[#good] == '' then table.remove(good) end
local path = tmp .. '/seed.char'
local f = io.open(path, 'w')
f:write((src:gsub('watched == no      %-> sabotage',
  'wached == no      -> sabotage', 1)))
f:close()

vim.cmd('edit ' .. path)
vim.bo.filetype = 'char'
local exit_code
local id = vim.lsp.start_client({
  name = 'charcheck',
  cmd = { bin, 'lsp' },
  root_dir = tmp,
  init_options = { checkDelayMs = -1 },
  flags = { debounce_text_changes = 10 },
  on_exit = function(code) exit_code = code end,
})
check('starts the server', id ~= nil)
if not id then return finish() end
vim.lsp.buf_attach_client(0, id)
local client = vim.lsp.get_client_by_id(id)

local function diags()
  return vim.diagnostic.get(0)
end

-- 1. The error, on its line and column, with the note as related info.
vim.wait(10000, function() return #diags() > 0 end, 10)
local d = diags()[1]
check('shows the error on its line',
  d and d.lnum == 62 and d.col == 2 and
  d.message == "unknown feature 'wached'" and
  d.severity == vim.diagnostic.severity.ERROR,
  d and string.format('%d:%d %s', d.lnum, d.col, d.message) or 'none')

-- 2. The fix clears it.
vim.api.nvim_buf_set_lines(0, 62, 63, true, { good[63] })
vim.wait(10000, function() return #diags() == 0 end, 10)
check('no error after the fix', #diags() == 0,
  #diags() > 0 and diags()[1].message or nil)

-- 3. :write runs the full check; the failing check is a diagnostic.
vim.cmd('silent write')
vim.wait(20000, function() return #diags() > 0 end, 10)
d = diags()[1]
check('the failing check after :write',
  d and d.lnum == 82 and
  d.message == 'check fails: P(diverge) <= 0.05: max 0.588235 (= 10/17)',
  d and string.format('%d: %s', d.lnum, d.message) or 'none')

-- 3b. The code lenses say PASS, PASS and FAIL with the value.
vim.lsp.codelens.refresh()
local lenses = {}
vim.wait(5000, function()
  lenses = vim.lsp.codelens.get(0)
  return #lenses == 3
end, 10)
local titles = {}
for _, l in ipairs(lenses) do
  titles[#titles + 1] = (l.range.start.line + 1) .. ' ' .. l.command.title
end
table.sort(titles)
check('code lenses on the checks', table.concat(titles, '; ') ==
  '81 PASS; 82 PASS; 83 FAIL: max 0.588235 (= 10/17)',
  table.concat(titles, '; '))

-- 4. Hover on 'schemer' (line 62): the floating window shows the verdict.
vim.api.nvim_win_set_cursor(0, { 62, 12 })
vim.lsp.buf.hover()
local float
vim.wait(5000, function()
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then
      float = w
      return true
    end
  end
  return false
end, 10)
local shown = float and table.concat(vim.api.nvim_buf_get_lines(
  vim.api.nvim_win_get_buf(float), 0, -1, false), '\n') or ''
check('hover shows the verdict',
  shown:find('character `schemer`, prior 0.1', 1, true) and
  shown:find('diverges: δ = 0.9', 1, true) and
  shown:find('witness {phase=deploy, watched=no, request=benign} -> ' ..
    'sabotage (intended: comply)', 1, true), shown)
if float then vim.api.nvim_win_close(float, true) end

-- 5. Go to definition from a use of 'watched' (line 63) to line 41.
vim.api.nvim_win_set_cursor(0, { 63, 3 })
vim.lsp.buf.definition()
vim.wait(5000, function()
  return vim.api.nvim_win_get_cursor(0)[1] == 41
end, 10)
local cur = vim.api.nvim_win_get_cursor(0)
check('definition jumps to the declaration', cur[1] == 41 and cur[2] == 8,
  string.format('at %d:%d', cur[1], cur[2]))

-- 6. Formatting restores the canonical layout.
vim.api.nvim_buf_set_lines(0, 39, 40, true,
  { 'feature   phase{train,deploy}' })
if vim.lsp.buf.format then
  vim.lsp.buf.format({ async = false, timeout_ms = 5000 })
else
  vim.lsp.buf.formatting_sync(nil, 5000)
end
local now = vim.api.nvim_buf_get_lines(0, 0, -1, true)
check('formatting gives the canonical text',
  table.concat(now, '\n') == table.concat(good, '\n'), now[40])

-- 7. An unknown method is refused with MethodNotFound.
local err
client.request('textDocument/nonsense', {}, function(e) err = e or false end, 0)
vim.wait(5000, function() return err ~= nil end, 10)
check('unknown method: MethodNotFound', err and err.code == -32601,
  vim.inspect(err))

-- 8. Stopping the client: shutdown, exit, status 0.
vim.lsp.stop_client(id)
vim.wait(5000, function() return exit_code ~= nil end, 10)
check('the server exits cleanly', exit_code == 0, tostring(exit_code))

-- 9. editors/nvim's three-line setup starts the server by itself (found
-- on PATH) for a file that editors/vim's ftdetect marks as 'char'.
local cwd = vim.fn.getcwd()
vim.opt.runtimepath:prepend(cwd .. '/editors/vim')
vim.opt.runtimepath:prepend(cwd .. '/editors/nvim')
vim.env.PATH = vim.fn.fnamemodify(bin, ':h') .. ':' .. vim.env.PATH
vim.cmd('runtime! ftdetect/char.vim')
vim.cmd('filetype plugin on')
f = io.open(tmp .. '/two.char', 'w')
f:write('feature f { a, b }\nvisible g\n')
f:close()
vim.cmd('edit ' .. tmp .. '/two.char')
vim.wait(10000, function() return #diags() > 0 end, 10)
d = diags()[1]
check('editors/nvim starts the server for a .char file',
  vim.bo.filetype == 'char' and d and d.lnum == 1 and
  d.message == "unknown feature 'g'",
  vim.bo.filetype .. ' ' .. (d and d.message or 'no diagnostic'))
local all = vim.lsp.get_active_clients()
vim.lsp.stop_client(all)
vim.wait(5000, function() return #vim.lsp.get_active_clients() == 0 end, 10)
finish()
