/*
 * fmt.h - the canonical layout of a .char file ('charcheck fmt'), printed
 * from the AST with every comment kept: one item per line or block, two
 * spaces of indentation, arrows and names aligned within a block, and
 * canonical spellings (and/or/not, a single space around operators).
 */
#ifndef CHARCHECK_FMT_H
#define CHARCHECK_FMT_H

#include <stdio.h>

#include "ast.h"

/*
 * Writes 'file' (parsed without errors) in canonical layout to 'out'.
 * The result parses to the same model, and formatting it again changes
 * nothing.
 */
void fmt_file(FILE *out, const struct ast_file *file);

#endif
