" charcheck model files
autocmd BufRead,BufNewFile *.char set filetype=char
