/*
 * parser.y - the grammar of .char files (SPEC.md section 3), building the
 * AST of ast.h in the model's arena.  A pure bison parser over the
 * reentrant flex scanner of lexer.l; syntax errors go to diag.c and the
 * parser resynchronises at the next item keyword, so one run reports
 * several.  parse_source() at the end is the front end's entry point.
 */
%require "3.8"
%define api.pure full
%locations
%define api.location.type {struct srcloc}
%define api.token.prefix {T_}
%define parse.error custom
%define parse.lac full
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {struct parser *p}
%expect 0
%header

%code requires {
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* How many unclosed '{' the scanner remembers (items nest two deep). */
#define LEXER_MAX_OPEN 8

/* The scanner's state (flex's extra data), shared with parse_source. */
struct lexer {
	struct arena *a;
	struct diag *d;
	struct source *src;
	uint32_t off;			/* bytes consumed so far */
	uint32_t start;	/* offset of the open string/comment */
	char *buf;			/* unescaped string so far, heap */
	size_t blen, bcap;
	struct ast_comment *comments;	/* in arena, grown by doubling */
	uint32_t ncomments, ccap;
	struct srcloc prev, cur;	/* the last two tokens returned */
	struct srcloc open[LEXER_MAX_OPEN];	/* unclosed '{', outermost
						 * first */
	uint32_t nopen;			/* may exceed LEXER_MAX_OPEN */
	bool after_trait;		/* 'trait' since the last brace or
					 * item keyword */
	uint32_t parens;		/* '(' open now */
	struct srcloc deep;		/* the first '(' past the nesting
					   limit, counted from outside;
					   len 0: none yet */
};

/* The parser's state: where the AST goes and what was reported. */
struct parser {
	struct arena *a;
	struct diag *d;
	struct source *src;
	struct lexer *lx;
	struct ptrvec items;		/* struct ast_item * */
	bool deep;			/* the nesting limit was reported */
	bool in_audit;			/* inside an audit's braces */
	bool items_named;		/* the item keywords were listed */
};
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

/* Bison's stack lives on the heap, through the fatal-on-OOM allocator. */
#define YYMALLOC xmalloc
#define YYFREE free

/*
 * A nonterminal covers the bytes from its first token to the end of its
 * last; an empty one is a zero-length range where the previous one ends.
 */
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		if (n) {						\
			(cur).file = YYRHSLOC(rhs, 1).file;		\
			(cur).off = YYRHSLOC(rhs, 1).off;		\
			(cur).len = YYRHSLOC(rhs, n).off +		\
			    YYRHSLOC(rhs, n).len - (cur).off;		\
		} else {						\
			(cur).file = YYRHSLOC(rhs, 0).file;		\
			(cur).off = YYRHSLOC(rhs, 0).off +		\
			    YYRHSLOC(rhs, 0).len;			\
			(cur).len = 0;					\
		}							\
	} while (0)

static void yyerror(const struct srcloc *loc, yyscan_t scanner,
    struct parser *p, const char *msg);
static struct ast_item *new_item(struct parser *p, enum ast_item_kind kind,
    struct srcloc loc);
static struct srcloc last_token(const struct parser *p, int lookahead);
static struct ast_name keyword_value(struct parser *p, struct srcloc loc);
static struct ptrvec vec1(struct parser *p, void *first);
static struct ast_range *new_range(struct parser *p, struct ast_num lo,
    struct ast_num hi, bool interval, struct srcloc loc);
static struct ast_range opt_range(const struct ast_range *r);
static struct ast_expr *nest(struct parser *p, struct ast_expr *kid,
    struct srcloc at, struct srcloc loc, bool is_not);
}

%union {
	const char *str;	/* identifier, number: interned; string:
				 * unescaped, in arena */
	struct ast_name name;
	struct ast_num num;
	struct ast_range *range;	/* in the node arena; NULL: no prior
				 * (a pointer keeps every stack entry at
				 * 24 bytes, not 72: bison copies them
				 * on each shift and reduce) */
	struct ptrvec vec;	/* arena-backed list being built */
	struct ast_expr *expr;
	struct ast_item *item;
	struct ast_rule *rule;
	struct ast_orule *orule;
	struct ast_stmt *stmt;
	struct ast_term *term;
	struct ast_claim *claim;
	enum ast_cmp cmp;
	int kind;		/* a set name, set operator or label */
}

/*
 * Tokens, in the order expected-token lists print them.  The keywords
 * must stay contiguous, MODEL first and TOLERANCE last (is_keyword), and
 * match the keyword rules of lexer.l and the 'keyword' rule below:
 * ORDER KEYWORDS.
 */
%token COMMA "','" RBRACE "'}'" RPAREN "')'" RBRACK "']'" ARROW "'->'"
%token COLON "':'" BAR "'|'"
%token <str> IDENT "identifier" INT "integer" NUMBER "number"
%token <str> STRING "string"
%token LBRACE "'{'" LPAREN "'('" LBRACK "'['"
%token EQ "'=='" NE "'!='" LT "'<'" LE "'<='" GT "'>'" GE "'>='"
%token ASSIGN "'='" ANDAND "'&&'" OROR "'||'" BANG "'!'" STAR "'*'"
%token PLUS "'+'" MINUS "'-'" SLASH "'/'"
%token MODEL "'model'" FEATURE "'feature'" VISIBLE "'visible'"
%token ACTION "'action'" CHARACTER "'character'" FAMILY "'family'"
%token OPTIMIZER "'optimizer'" PRIOR "'prior'" TRAIT "'trait'"
%token INTENDED "'intended'" TRAINING "'training'"
%token DEPLOYMENT "'deployment'" SITUATIONS "'situations'"
%token WEIGHT "'weight'" OBSERVE "'observe'" AT "'at'" LEAST "'least'"
%token MOST "'most'" OTHERWISE "'otherwise'" DATA "'data'"
%token SCALES "'scales'" BY "'by'" CONSTRAINT "'constraint'"
%token AUDIT "'audit'" CHECK "'check'" CONSISTENT "'consistent'"
%token DIVERGING "'diverging'" UNDETECTABLE "'undetectable'"
%token CONTAINS "'contains'" EXCLUDES "'excludes'" NO "'no'"
%token DIVERGENCE "'divergence'" HORIZON "'horizon'" VALUE "'value'"
%token WHEN "'when'" OVER "'over'" ACTIONS "'actions'" TRUE "'true'"
%token FALSE "'false'" AND "'and'" OR "'or'" NOT "'not'" IN "'in'"
%token PROB "'P'" EXPECT "'E'" DIVERGE "'diverge'" LABEL "'label'"
%token DECEPTIVE "'deceptive'" PROXY "'proxy'" NONE "'none'"
%token TOLERANCE "'tolerance'"

%type <item> item model feature visible action character family optimizer
%type <item> intended training deployment data constraint audit tolerance
%type <item> check
%type <name> name value
%type <num> number signed_number
%type <range> range opt_prior
%type <vec> names values opt_names opt_traits opt_actions rules irules
%type <vec> orules tstmts dstmts dist accept counts disj conj linear
%type <expr> expr neg atom guard opt_when
%type <rule> rule irule
%type <orule> orule
%type <stmt> situations weight observe tstmt dstmt evidence
%type <term> term
%type <claim> claim
%type <cmp> cmp pcmp relop
%type <kind> setname setop label_value

%%

/* file -> { item } */
file
	: items
	;

/* On a syntax error, skip to the next item keyword (or the end). */
items
	: %empty
	| items item
		{
			$2->end = last_token(p, yychar);
			ptrvec_push(p->a, &p->items, $2);
		}
	| items error
	;

/*
 * Reduced right after an item's keyword is shifted: a new item is a fresh
 * start, so its errors are reported even just after a recovery.
 */
resync
	: %empty	{ yyerrok; p->in_audit = false; }
	;

item
	: model | feature | visible | action | character | family
	| optimizer | intended | training | deployment | data
	| constraint | audit | tolerance | check
	;

/* model -> "model" STRING */
model
	: MODEL resync STRING
		{
			$$ = new_item(p, ITEM_MODEL, @1);
			$$->string = $3;
			$$->string_loc = @3;
			$$->has_string = true;
		}
	;

/* feature -> "feature" NAME "{" value { "," value } "}" */
feature
	: FEATURE resync name LBRACE values RBRACE
		{
			$$ = new_item(p, ITEM_FEATURE, @1);
			$$->name = $3;
			$$->nnames = ast_name_array(p->a, &$5, &$$->names);
		}
	;

/* visible -> "visible" NAME { "," NAME } */
visible
	: VISIBLE resync names
		{
			$$ = new_item(p, ITEM_VISIBLE, @1);
			$$->nnames = ast_name_array(p->a, &$3, &$$->names);
		}
	;

/* action -> "action" NAME { "," NAME } */
action
	: ACTION resync names
		{
			$$ = new_item(p, ITEM_ACTION, @1);
			$$->nnames = ast_name_array(p->a, &$3, &$$->names);
		}
	;

/* character -> "character" NAME [ prior ] [ traits ] "{" { rule } "}" */
character
	: CHARACTER resync name opt_prior opt_traits LBRACE rules RBRACE
		{
			$$ = new_item(p, ITEM_CHARACTER, @1);
			$$->name = $3;
			$$->prior = opt_range($4);
			$$->ntraits = ast_name_array(p->a, &$5, &$$->traits);
			$$->rules = (struct ast_rule **)$7.v;
			$$->nrules = $7.len;
		}
	;

/*
 * family -> "family" NAME "over" NAME { "," NAME }
 *           [ "actions" NAME { "," NAME } ] [ prior ] [ traits ]
 */
family
	: FAMILY resync name OVER names opt_actions opt_prior opt_traits
		{
			$$ = new_item(p, ITEM_FAMILY, @1);
			$$->name = $3;
			$$->nnames = ast_name_array(p->a, &$5, &$$->names);
			$$->has_actions = $6.len > 0;
			$$->nactions = ast_name_array(p->a, &$6, &$$->actions);
			$$->prior = opt_range($7);
			$$->ntraits = ast_name_array(p->a, &$8, &$$->traits);
		}
	;

opt_actions
	: %empty		{ $$ = (struct ptrvec){ .len = 0 }; }
	| ACTIONS names		{ $$ = $2; }
	;

/* optimizer -> "optimizer" NAME [ prior ] [ traits ] "{" { orule } "}" */
optimizer
	: OPTIMIZER resync name opt_prior opt_traits LBRACE orules RBRACE
		{
			$$ = new_item(p, ITEM_OPTIMIZER, @1);
			$$->name = $3;
			$$->prior = opt_range($4);
			$$->ntraits = ast_name_array(p->a, &$5, &$$->traits);
			$$->orules = (struct ast_orule **)$7.v;
			$$->norules = $7.len;
		}
	;

/* intended -> "intended" "{" { guard "->" NAME { "|" NAME } } "}" */
intended
	: INTENDED resync LBRACE irules RBRACE
		{
			$$ = new_item(p, ITEM_INTENDED, @1);
			$$->rules = (struct ast_rule **)$4.v;
			$$->nrules = $4.len;
		}
	;

/* training -> "training" "{" { situations | weight | observe } "}" */
training
	: TRAINING resync LBRACE tstmts RBRACE
		{
			$$ = new_item(p, ITEM_TRAINING, @1);
			$$->stmts = (struct ast_stmt **)$4.v;
			$$->nstmts = $4.len;
		}
	;

/* deployment -> "deployment" "{" { situations | weight } "}" */
deployment
	: DEPLOYMENT resync LBRACE dstmts RBRACE
		{
			$$ = new_item(p, ITEM_DEPLOYMENT, @1);
			$$->stmts = (struct ast_stmt **)$4.v;
			$$->nstmts = $4.len;
		}
	;

/*
 * data -> "data" NAME "scales" NAME "by"
 *         ( NUMBER | "[" NUMBER "," NUMBER "]" )
 */
data
	: DATA resync name SCALES name BY range
		{
			$$ = new_item(p, ITEM_DATA, @1);
			$$->name = $3;
			$$->trait = $5;
			$$->scale = *$7;
		}
	;

/* constraint -> "constraint" linear ( "<=" | ">=" | "=" ) linear */
constraint
	: CONSTRAINT resync linear relop linear
		{
			$$ = new_item(p, ITEM_CONSTRAINT, @1);
			$$->lhs = (struct ast_term **)$3.v;
			$$->nlhs = $3.len;
			$$->op = $4;
			$$->op_loc = @4;
			$$->rhs = (struct ast_term **)$5.v;
			$$->nrhs = $5.len;
		}
	;

/* audit -> "audit" "{" situations "}" */
audit
	: AUDIT resync LBRACE { p->in_audit = true; } situations RBRACE
		{
			p->in_audit = false;
			$$ = new_item(p, ITEM_AUDIT, @1);
			$$->stmts = arena_array(p->a, 1, sizeof *$$->stmts);
			$$->stmts[0] = $5;
			$$->nstmts = 1;
		}
	;

/* tolerance -> "tolerance" NUMBER */
tolerance
	: TOLERANCE resync number
		{
			$$ = new_item(p, ITEM_TOLERANCE, @1);
			$$->num = $3;
		}
	;

/* check -> "check" [ STRING ] claim */
check
	: CHECK resync claim
		{
			$$ = new_item(p, ITEM_CHECK, @1);
			$$->claim = *$3;
		}
	| CHECK resync STRING claim
		{
			$$ = new_item(p, ITEM_CHECK, @1);
			$$->has_string = true;
			$$->string = $3;
			$$->string_loc = @3;
			$$->claim = *$4;
		}
	;

/* ---------------------------------------------------------------- */
/* Names, values, numbers                                            */
/* ---------------------------------------------------------------- */

/* A feature, action, entity, trait or data name: never a keyword. */
name
	: IDENT		{ $$ = (struct ast_name){ $1, @1 }; }
	;

/* NAME { "," NAME } */
names
	: name		{ $$ = vec1(p, ast_new_name(p->a, $1)); }
	| names COMMA name
		{ $$ = $1; ptrvec_push(p->a, &$$, ast_new_name(p->a, $3)); }
	;

opt_names
	: %empty	{ $$ = (struct ptrvec){ .len = 0 }; }
	| names
	;

/* value -> NAME | INT, where any keyword is a name too (SPEC 6.1) */
value
	: IDENT		{ $$ = (struct ast_name){ $1, @1 }; }
	| INT		{ $$ = (struct ast_name){ $1, @1 }; }
	| keyword	{ $$ = keyword_value(p, @1); }
	;

values
	: value		{ $$ = vec1(p, ast_new_name(p->a, $1)); }
	| values COMMA value
		{ $$ = $1; ptrvec_push(p->a, &$$, ast_new_name(p->a, $3)); }
	;

/* ORDER KEYWORDS */
keyword
	: MODEL | FEATURE | VISIBLE | ACTION | CHARACTER | FAMILY
	| OPTIMIZER | PRIOR | TRAIT | INTENDED | TRAINING | DEPLOYMENT
	| SITUATIONS | WEIGHT | OBSERVE | AT | LEAST | MOST | OTHERWISE
	| DATA | SCALES | BY | CONSTRAINT | AUDIT | CHECK | CONSISTENT
	| DIVERGING | UNDETECTABLE | CONTAINS | EXCLUDES | NO | DIVERGENCE
	| HORIZON | VALUE | WHEN | OVER | ACTIONS | TRUE | FALSE | AND | OR
	| NOT | IN | PROB | EXPECT | DIVERGE | LABEL | DECEPTIVE | PROXY
	| NONE | TOLERANCE
	;

/* number -> INT | NUMBER (decimal or fraction) */
number
	: INT
		{
			$$ = (struct ast_num){ .text = $1, .is_int = true,
			    .loc = @1 };
		}
	| NUMBER
		{ $$ = (struct ast_num){ .text = $1, .loc = @1 }; }
	;

/* [ "-" ] number: a utility; the sign is a token of its own */
signed_number
	: number
	| MINUS number	{ $$ = $2; $$.negative = true; $$.loc = @$; }
	;

/* prior -> "prior" ( NUMBER | "[" NUMBER "," NUMBER "]" ) */
opt_prior
	: %empty	{ $$ = NULL; }
	| PRIOR range	{ $$ = $2; $$->loc = @$; }
	;

range
	: number
		{ $$ = new_range(p, $1, $1, false, @$); }
	| LBRACK number COMMA number RBRACK
		{ $$ = new_range(p, $2, $4, true, @$); }
	;

/* traits -> "trait" NAME { "," NAME } */
opt_traits
	: %empty	{ $$ = (struct ptrvec){ .len = 0 }; }
	| TRAIT names	{ $$ = $2; }
	;

/* ---------------------------------------------------------------- */
/* Rules                                                             */
/* ---------------------------------------------------------------- */

rules
	: %empty	{ $$ = (struct ptrvec){ .len = 0 }; }
	| rules rule	{ $$ = $1; ptrvec_push(p->a, &$$, $2); }
	;

/* rule -> guard "->" outcome */
rule
	: guard ARROW name
		{
			$$ = ast_new_rule(p->a, $1, @1);
			$$->action = $3;
			$$->outcome_loc = @3;
		}
	| guard ARROW LBRACE dist RBRACE
		{
			$$ = ast_new_rule(p->a, $1, @1);
			$$->is_dist = true;
			$$->ndist = ast_pair_array(p->a, &$4, &$$->dist);
			$$->outcome_loc = @$;
			$$->outcome_loc.len -= @3.off - @$.off;
			$$->outcome_loc.off = @3.off;
		}
	;

/* guard -> expr | "otherwise" (a NULL guard) */
guard
	: expr
	| OTHERWISE	{ $$ = NULL; }
	;

/* "{" NAME ":" NUMBER { "," NAME ":" NUMBER } "}" */
dist
	: name COLON number
		{ $$ = vec1(p, ast_new_pair(p->a, $1, $3)); }
	| dist COMMA name COLON number
		{ $$ = $1; ptrvec_push(p->a, &$$, ast_new_pair(p->a, $3, $5)); }
	;

irules
	: %empty	{ $$ = (struct ptrvec){ .len = 0 }; }
	| irules irule	{ $$ = $1; ptrvec_push(p->a, &$$, $2); }
	;

/* guard "->" NAME { "|" NAME } */
irule
	: guard ARROW accept
		{
			$$ = ast_new_rule(p->a, $1, @1);
			$$->naccept = ast_name_array(p->a, &$3, &$$->accept);
			$$->outcome_loc = @3;
		}
	;

/* NAME { "|" NAME }: intended's acceptable actions, an observed outcome */
accept
	: name		{ $$ = vec1(p, ast_new_name(p->a, $1)); }
	| accept BAR name
		{ $$ = $1; ptrvec_push(p->a, &$$, ast_new_name(p->a, $3)); }
	;

orules
	: %empty	{ $$ = (struct ptrvec){ .len = 0 }; }
	| orules orule	{ $$ = $1; ptrvec_push(p->a, &$$, $2); }
	;

/*
 * orule -> "horizon" NUMBER
 *        | "value" NAME "=" [ "-" ] NUMBER [ "when" expr ]
 */
orule
	: HORIZON number
		{
			$$ = ast_new_orule(p->a, OR_HORIZON, @1);
			$$->num = $2;
		}
	| VALUE name ASSIGN signed_number opt_when
		{
			$$ = ast_new_orule(p->a, OR_VALUE, @1);
			$$->action = $2;
			$$->num = $4;
			$$->when = $5;
		}
	;

opt_when
	: %empty	{ $$ = NULL; }
	| WHEN expr	{ $$ = $2; }
	;

/* ---------------------------------------------------------------- */
/* Statements of training, deployment and audit                      */
/* ---------------------------------------------------------------- */

tstmts
	: %empty	{ $$ = (struct ptrvec){ .len = 0 }; }
	| tstmts tstmt	{ $$ = $1; ptrvec_push(p->a, &$$, $2); }
	;

tstmt
	: situations | weight | observe
	;

dstmts
	: %empty	{ $$ = (struct ptrvec){ .len = 0 }; }
	| dstmts dstmt	{ $$ = $1; ptrvec_push(p->a, &$$, $2); }
	;

dstmt
	: situations | weight
	;

/* situations -> "situations" expr */
situations
	: SITUATIONS expr
		{ $$ = ast_new_stmt(p->a, ST_SITUATIONS, @1, $2); }
	;

/* weight -> "weight" expr ":" NUMBER */
weight
	: WEIGHT expr COLON number
		{
			$$ = ast_new_stmt(p->a, ST_WEIGHT, @1, $2);
			$$->num = $4;
		}
	;

/* observe -> "observe" expr ":" evidence */
observe
	: OBSERVE expr COLON evidence
		{
			$$ = $4;
			$$->loc = @1;
			$$->expr = $2;
		}
	;

/*
 * evidence -> outcome | outcome INT { "," outcome INT }
 *           | outcome "at" ( "least" | "most" ) NUMBER
 * outcome  -> NAME { "|" NAME }
 */
evidence
	: accept
		{
			$$ = ast_new_stmt(p->a, ST_OBSERVE, @$, NULL);
			$$->ev = EV_ALWAYS;
			$$->out = ast_outcome_of(p->a, &$1, @1);
			$$->ev_loc = @$;
		}
	| counts
		{
			$$ = ast_new_stmt(p->a, ST_OBSERVE, @$, NULL);
			$$->ev = EV_COUNTS;
			$$->ncounts = ast_count_array(p->a, &$1, &$$->counts);
			$$->ev_loc = @$;
		}
	| accept AT LEAST number
		{
			$$ = ast_new_stmt(p->a, ST_OBSERVE, @$, NULL);
			$$->ev = EV_AT_LEAST;
			$$->out = ast_outcome_of(p->a, &$1, @1);
			$$->num = $4;
			$$->ev_loc = @$;
		}
	| accept AT MOST number
		{
			$$ = ast_new_stmt(p->a, ST_OBSERVE, @$, NULL);
			$$->ev = EV_AT_MOST;
			$$->out = ast_outcome_of(p->a, &$1, @1);
			$$->num = $4;
			$$->ev_loc = @$;
		}
	;

/* Counts are plain integers: "3", never "3.0" or "1/2". */
counts
	: accept INT
		{
			$$ = vec1(p, ast_new_count(p->a, ast_outcome_of(p->a,
			    &$1, @1), (struct ast_num){ .text = $2,
			    .is_int = true, .loc = @2 }));
		}
	| counts COMMA accept INT
		{
			$$ = $1;
			ptrvec_push(p->a, &$$, ast_new_count(p->a,
			    ast_outcome_of(p->a, &$3, @3), (struct ast_num){
			    .text = $4, .is_int = true, .loc = @4 }));
		}
	;

/* ---------------------------------------------------------------- */
/* Constraints and checks                                            */
/* ---------------------------------------------------------------- */

/* linear -> term { "+" term } */
linear
	: term		{ $$ = vec1(p, $1); }
	| linear PLUS term
			{ $$ = $1; ptrvec_push(p->a, &$$, $3); }
	;

/* term -> [ NUMBER "*" ] "prior" "(" NAME ")" | NUMBER */
term
	: number STAR PRIOR LPAREN name RPAREN
		{
			$$ = ast_new_term(p->a, @$);
			$$->is_prior = $$->has_coef = true;
			$$->coef = $1;
			$$->name = $5;
		}
	| PRIOR LPAREN name RPAREN
		{
			$$ = ast_new_term(p->a, @$);
			$$->is_prior = true;
			$$->name = $3;
		}
	| number
		{
			$$ = ast_new_term(p->a, @$);
			$$->coef = $1;
		}
	;

/* "<" and ">" are parsed so that sema can explain why they are refused. */
relop
	: LE		{ $$ = CMP_LE; }
	| GE		{ $$ = CMP_GE; }
	| ASSIGN	{ $$ = CMP_EQ; }
	| LT		{ $$ = CMP_LT; }
	| GT		{ $$ = CMP_GT; }
	;

/*
 * claim -> "no" "divergence"
 *        | setname ( "=" | "contains" | "excludes" ) "{" [ NAMES ] "}"
 *        | "P" "(" "diverge" ")" cmp NUMBER | "P" "(" NAMES ")" cmp NUMBER
 *        | "E" "(" "divergence" ")" cmp NUMBER
 *        | "label" "(" NAME ")" "=" ( "deceptive" | "proxy" | "none" )
 *        | "horizon" "(" NAME ")" cmp NUMBER
 */
claim
	: NO DIVERGENCE
		{ $$ = ast_new_claim(p->a, CLAIM_NO_DIVERGENCE, @$); }
	| setname setop LBRACE opt_names RBRACE
		{
			$$ = ast_new_claim(p->a, CLAIM_SET, @$);
			$$->set = (enum ast_setname)$1;
			$$->setop = (enum ast_setop)$2;
			$$->nnames = ast_name_array(p->a, &$4, &$$->names);
		}
	| PROB LPAREN DIVERGE RPAREN pcmp number
		{
			$$ = ast_new_claim(p->a, CLAIM_P_DIVERGE, @$);
			$$->cmp = $5;
			$$->num = $6;
		}
	| PROB LPAREN names RPAREN pcmp number
		{
			$$ = ast_new_claim(p->a, CLAIM_P_SET, @$);
			$$->nnames = ast_name_array(p->a, &$3, &$$->names);
			$$->cmp = $5;
			$$->num = $6;
		}
	| EXPECT LPAREN DIVERGENCE RPAREN pcmp number
		{
			$$ = ast_new_claim(p->a, CLAIM_E_DIVERGENCE, @$);
			$$->cmp = $5;
			$$->num = $6;
		}
	| LABEL LPAREN name RPAREN ASSIGN label_value
		{
			$$ = ast_new_claim(p->a, CLAIM_LABEL, @$);
			$$->target = $3;
			$$->label = (enum ast_label)$6;
		}
	| HORIZON LPAREN name RPAREN pcmp number
		{
			$$ = ast_new_claim(p->a, CLAIM_HORIZON, @$);
			$$->target = $3;
			$$->cmp = $5;
			$$->num = $6;
		}
	;

setname
	: CONSISTENT	{ $$ = SET_CONSISTENT; }
	| DIVERGING	{ $$ = SET_DIVERGING; }
	| UNDETECTABLE	{ $$ = SET_UNDETECTABLE; }
	;

setop
	: ASSIGN	{ $$ = SETOP_EQ; }
	| CONTAINS	{ $$ = SETOP_CONTAINS; }
	| EXCLUDES	{ $$ = SETOP_EXCLUDES; }
	;

label_value
	: DECEPTIVE	{ $$ = LABEL_DECEPTIVE; }
	| PROXY		{ $$ = LABEL_PROXY; }
	| NONE		{ $$ = LABEL_NONE; }
	;

/* cmp -> "<=" | "<" | ">=" | ">" */
pcmp
	: LT		{ $$ = CMP_LT; }
	| LE		{ $$ = CMP_LE; }
	| GT		{ $$ = CMP_GT; }
	| GE		{ $$ = CMP_GE; }
	;

/* ---------------------------------------------------------------- */
/* Expressions                                                       */
/* ---------------------------------------------------------------- */

/*
 * expr -> conj { ("or" | "||") conj };  conj -> neg { ("and" | "&&") neg }.
 * Both are left-recursive lists (constant parser stack however long the
 * chain) flattened into one EXPR_OR / EXPR_AND node.
 */
expr
	: disj		{ $$ = ast_new_chain(p->a, EXPR_OR, &$1, @1); }
	;

disj
	: conj
		{ $$ = vec1(p, ast_new_chain(p->a, EXPR_AND, &$1, @1)); }
	| disj or conj
		{
			$$ = $1;
			ptrvec_push(p->a, &$$,
			    ast_new_chain(p->a, EXPR_AND, &$3, @3));
		}
	;

conj
	: neg		{ $$ = vec1(p, $1); }
	| conj and neg	{ $$ = $1; ptrvec_push(p->a, &$$, $3); }
	;

or
	: OR | OROR
	;

and
	: AND | ANDAND
	;

/* neg -> ("not" | "!") neg | atom */
neg
	: not neg	{ $$ = nest(p, $2, @1, @$, true); }
	| atom
	;

not
	: NOT | BANG
	;

/*
 * atom -> "true" | "false" | "(" expr ")"
 *       | NAME ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) value
 *       | NAME "in" "{" value { "," value } "}"
 */
atom
	: TRUE		{ $$ = ast_new_expr(p->a, EXPR_TRUE, @1); }
	| FALSE		{ $$ = ast_new_expr(p->a, EXPR_FALSE, @1); }
	| LPAREN expr RPAREN
			{ $$ = nest(p, $2, @1, @$, false); }
	| name cmp value
			{ $$ = ast_new_cmp(p->a, $1, $2, $3, @$); }
	| name IN LBRACE values RBRACE
			{ $$ = ast_new_in(p->a, $1, &$4, @$); }
	;

cmp
	: EQ		{ $$ = CMP_EQ; }
	| NE		{ $$ = CMP_NE; }
	| LT		{ $$ = CMP_LT; }
	| LE		{ $$ = CMP_LE; }
	| GT		{ $$ = CMP_GT; }
	| GE		{ $$ = CMP_GE; }
	;

%%

/* ---------------------------------------------------------------- */
/* Action helpers                                                    */
/* ---------------------------------------------------------------- */

static struct ast_item *
new_item(struct parser *p, enum ast_item_kind kind, struct srcloc loc)
{
	return ast_new_item(p->a, kind, loc);
}

/*
 * The last token shifted.  When the parser has read a lookahead
 * ('lookahead' is not YYEMPTY), the scanner's newest token is that
 * lookahead and the one before it is the answer.
 */
static struct srcloc
last_token(const struct parser *p, int lookahead)
{
	return lookahead == T_YYEMPTY ? p->lx->cur : p->lx->prev;
}

/* A keyword in a value position is a value spelt like the keyword. */
static struct ast_name
keyword_value(struct parser *p, struct srcloc loc)
{
	return (struct ast_name){
		intern(p->lx->a, p->src->text + loc.off, loc.len), loc
	};
}

static struct ptrvec
vec1(struct parser *p, void *first)
{
	struct ptrvec v = { .len = 0 };

	ptrvec_push(p->a, &v, first);
	return v;
}

/* A prior or scale: one number (lo == hi) or an interval [lo, hi]. */
static struct ast_range *
new_range(struct parser *p, struct ast_num lo, struct ast_num hi,
    bool interval, struct srcloc loc)
{
	struct ast_range *r = arena_alloc(p->a, sizeof *r);

	*r = (struct ast_range){ .present = true, .interval = interval,
	    .lo = lo, .hi = hi, .loc = loc };
	return r;
}

/* The range of an optional prior: 'r', or none (not present). */
static struct ast_range
opt_range(const struct ast_range *r)
{
	return r ? *r : (struct ast_range){ .present = false };
}

/*
 * Wraps 'kid' in a 'not' (is_not) or in parentheses, one nesting level
 * more.  Past AST_MAX_DEPTH the limit is reported once, at 'at', and 'kid'
 * is returned unwrapped, so no tree is ever deeper than the limit.
 */
static struct ast_expr *
nest(struct parser *p, struct ast_expr *kid, struct srcloc at,
    struct srcloc loc, bool is_not)
{
	if (kid->depth >= AST_MAX_DEPTH) {
		/* Nesting is built from the inside: point at the 401st '('
		 * from the outside, where a reader counts, if there is one. */
		if (p->lx->deep.len)
			at = p->lx->deep;
		if (!p->deep)
			diag_limit(p->d, at,
			    "expression nested deeper than %d levels",
			    AST_MAX_DEPTH);
		p->deep = true;
		return kid;
	}
	if (is_not)
		return ast_new_not(p->a, kid, loc);
	kid->depth++;
	return kid;
}

/* ---------------------------------------------------------------- */
/* Error reporting                                                   */
/* ---------------------------------------------------------------- */

/* The only error bison reports itself: its stack is full. */
static void
yyerror(const struct srcloc *loc, yyscan_t scanner, struct parser *p,
    const char *msg)
{
	(void)scanner;
	(void)msg;
	/* Only nesting grows the stack (lists are left-recursive). */
	if (!p->deep)
		diag_limit(p->d, p->lx->deep.len ? p->lx->deep : *loc,
		    "expression nested deeper than %d levels", AST_MAX_DEPTH);
	p->deep = true;
}

static bool
is_keyword(yysymbol_kind_t sym)
{
	return sym >= YYSYMBOL_MODEL && sym <= YYSYMBOL_TOLERANCE;
}

/* Item keywords: an item may start where all of these are expected. */
static const yysymbol_kind_t item_start[] = {
	YYSYMBOL_MODEL, YYSYMBOL_FEATURE, YYSYMBOL_VISIBLE, YYSYMBOL_ACTION,
	YYSYMBOL_CHARACTER, YYSYMBOL_FAMILY, YYSYMBOL_OPTIMIZER,
	YYSYMBOL_INTENDED, YYSYMBOL_TRAINING, YYSYMBOL_DEPLOYMENT,
	YYSYMBOL_DATA, YYSYMBOL_CONSTRAINT, YYSYMBOL_AUDIT,
	YYSYMBOL_TOLERANCE, YYSYMBOL_CHECK,
};

/* A message being built in a fixed buffer (silently truncated). */
struct msgbuf {
	char s[512];
	size_t len;
};

static void
put(struct msgbuf *m, const char *s, size_t n)
{
	if (n > sizeof m->s - 1 - m->len)
		n = sizeof m->s - 1 - m->len;
	memcpy(m->s + m->len, s, n);
	m->len += n;
	m->s[m->len] = '\0';
}

static void
put_str(struct msgbuf *m, const char *s)
{
	put(m, s, strlen(s));
}

/* A token kind as the user reads it: "identifier", "'->'", "end of file". */
static void
put_symbol(struct msgbuf *m, yysymbol_kind_t sym)
{
	const char *s = yysymbol_name(sym);
	size_t n = strlen(s);

	/* bison keeps string aliases in double quotes */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		put(m, s + 1, n - 2);
	else
		put(m, s, n);
}

/* The offending token as written, quoted and cut to a sane length. */
static void
put_token(struct msgbuf *m, const struct parser *p, yysymbol_kind_t sym,
    struct srcloc loc)
{
	uint32_t n = loc.len;

	if (sym == YYSYMBOL_YYEOF || sym == YYSYMBOL_STRING || n == 0 ||
	    loc.off >= p->src->len || n > p->src->len - loc.off) {
		put_symbol(m, sym);
		return;
	}
	put_str(m, "'");
	if (n > 32) {
		put(m, p->src->text + loc.off, 29);
		put_str(m, "...");
	} else {
		put(m, p->src->text + loc.off, n);
	}
	put_str(m, "'");
}

/*
 * The expected-token list as a phrase.  Trims what would only be noise:
 * the keywords of a value position (any keyword is a value there), the
 * and/or operators that may always continue an expression, and the
 * fifteen item keywords, said as "an item keyword".  True if it said so.
 */
static bool
put_expected(struct msgbuf *m, const yysymbol_kind_t *exp, int n)
{
	bool has[YYNTOKENS] = { false };
	const char *alt[YYNTOKENS + 1];
	yysymbol_kind_t alt_sym[YYNTOKENS + 1];
	int nalt = 0, nkw = 0;
	bool values, items = true;

	for (int i = 0; i < n; i++) {
		has[exp[i]] = true;
		if (is_keyword(exp[i]))
			nkw++;
	}
	values = has[YYSYMBOL_IDENT] &&
	    nkw == YYSYMBOL_TOLERANCE - YYSYMBOL_MODEL + 1;
	for (size_t i = 0; i < sizeof item_start / sizeof *item_start; i++)
		items = items && has[item_start[i]] && !values;
	for (int i = 0; i < n; i++) {
		yysymbol_kind_t s = exp[i];
		if (s == YYSYMBOL_AND || s == YYSYMBOL_ANDAND ||
		    s == YYSYMBOL_OR || s == YYSYMBOL_OROR)
			continue;
		if (values && is_keyword(s))
			continue;
		if (items && (s == YYSYMBOL_YYEOF || is_keyword(s))) {
			bool start = s == YYSYMBOL_YYEOF;
			for (size_t j = 0;
			    j < sizeof item_start / sizeof *item_start; j++)
				start = start || s == item_start[j];
			if (start)
				continue;
		}
		alt[nalt] = NULL;
		alt_sym[nalt++] = s;
	}
	if (items) {
		alt[nalt] = "an item keyword";
		alt_sym[nalt++] = YYSYMBOL_YYEMPTY;
	}
	if (nalt == 0) {
		/* Only continuations were expected: list them after all. */
		for (int i = 0; i < n && nalt < YYNTOKENS; i++) {
			alt[nalt] = NULL;
			alt_sym[nalt++] = exp[i];
		}
	}
	for (int i = 0; i < nalt && i < 5; i++) {
		if (i == 4) {
			put_str(m, " or ...");
			break;
		}
		if (i > 0)
			put_str(m, i == nalt - 1 ? " or " : ", ");
		if (alt[i])
			put_str(m, alt[i]);
		else
			put_symbol(m, alt_sym[i]);
	}
	return items;
}

/*
 * Called by bison on a syntax error (parse.error custom): a keyword where
 * a name belongs gets its own message; otherwise "expected X or Y before
 * Z", or "unexpected end of file, expected X".  LAC makes the expected
 * list exact.
 */
static int
yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner,
    struct parser *p)
{
	yysymbol_kind_t exp[YYNTOKENS];
	yysymbol_kind_t tok = yypcontext_token(ctx);
	struct srcloc loc = *yypcontext_location(ctx);
	struct msgbuf m = { .len = 0 };
	int n;

	(void)scanner;
	n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	if (n < 0)
		return n;
	bool name_expected = false;
	for (int i = 0; i < n; i++)
		name_expected = name_expected || exp[i] == YYSYMBOL_IDENT;
	/* An item keyword inside an unclosed block: a missing '}'. */
	bool item_kw = false, brace_expected = false;
	for (size_t i = 0; i < sizeof item_start / sizeof *item_start; i++)
		item_kw = item_kw || tok == item_start[i];
	for (int i = 0; i < n; i++)
		brace_expected = brace_expected || exp[i] == YYSYMBOL_RBRACE;
	bool has[YYNTOKENS] = { false };
	for (int i = 0; i < n; i++)
		has[exp[i]] = true;
	if (item_kw && brace_expected) {
		struct lexer *lx = p->lx;
		put_str(&m, "expected '}' before ");
		put_token(&m, p, tok, loc);
		diag_error(p->d, loc, "%s", m.s);
		/* The '{' left open, innermost; the item starts afresh. */
		if (lx->nopen > 0 && lx->nopen <= LEXER_MAX_OPEN)
			diag_note(p->d, lx->open[lx->nopen - 1],
			    "the '{' opened here is not closed");
		lx->nopen = 0;
		return 0;
	}
	/* Statements in the wrong block say where they belong. */
	if (tok == YYSYMBOL_WEIGHT && p->in_audit) {
		diag_error(p->d, loc, "weights do not apply to an audit: it "
		    "holds one 'situations' line, the situations inspected");
		return 0;
	}
	if (tok == YYSYMBOL_OBSERVE && (p->in_audit ||
	    (has[YYSYMBOL_WEIGHT] && !has[YYSYMBOL_OBSERVE]))) {
		diag_error(p->d, loc, "observations belong in the 'training' "
		    "block");
		return 0;
	}
	/* character NAME prior W trait T { ... }: the header's order. */
	if (tok == YYSYMBOL_PRIOR && !has[YYSYMBOL_PRIOR] &&
	    p->lx->after_trait) {
		diag_error(p->d, loc, "'prior' comes before 'trait', as in "
		    "'character c prior 0.5 trait t {'");
		return 0;
	}
	/* A constraint is a sum of terms on each side (SPEC 3). */
	if (tok == YYSYMBOL_MINUS && has[YYSYMBOL_PLUS]) {
		diag_error(p->d, loc, "a constraint adds terms but cannot "
		    "subtract them: move the term to the other side (write "
		    "'a >= b', not 'a - b >= 0')");
		return 0;
	}
	if (tok == YYSYMBOL_IDENT && (has[YYSYMBOL_NUMBER] || has[YYSYMBOL_INT])
	    && loc.len == 3 && !memcmp(p->src->text + loc.off, "inf", 3)) {
		diag_error(p->d, loc, "a check's bound is a number, and 'inf' "
		    "is not one");
		diag_note(p->d, loc, "a critical horizon of inf compares above "
		    "every number, so 'horizon(x) <= 1000' fails for an "
		    "optimizer x that no horizon makes consistent");
		return 0;
	}
	if (is_keyword(tok) && name_expected) {
		diag_error(p->d, loc,
		    "'%.*s' is a keyword and cannot be used as a name",
		    (int)loc.len, p->src->text + loc.off);
		return 0;
	}
	bool items = false;
	if (tok == YYSYMBOL_YYEOF) {
		put_str(&m, "unexpected end of file");
		if (n > 0) {
			put_str(&m, ", expected ");
			items = put_expected(&m, exp, n);
		}
	} else if (n > 0) {
		put_str(&m, "expected ");
		items = put_expected(&m, exp, n);
		put_str(&m, " before ");
		put_token(&m, p, tok, loc);
	} else {
		put_str(&m, "unexpected ");
		put_token(&m, p, tok, loc);
	}
	diag_error(p->d, loc, "%s", m.s);
	if (tok == YYSYMBOL_YYEOF && brace_expected && p->lx->nopen > 0 &&
	    p->lx->nopen <= LEXER_MAX_OPEN)
		diag_note(p->d, p->lx->open[p->lx->nopen - 1],
		    "the '{' opened here is not closed");
	/* Name the item keywords, once per file. */
	if (items && !p->items_named) {
		p->items_named = true;
		diag_note(p->d, loc, "an item starts with 'model', 'feature', "
		    "'visible', 'action', 'character', 'family', 'optimizer', "
		    "'intended', 'training', 'deployment', 'data', "
		    "'constraint', 'audit', 'tolerance' or 'check'");
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Entry point                                                       */
/* ---------------------------------------------------------------- */

struct ast_file *
parse_source(struct arena *a, struct source *src, struct diag *d)
{
	return parse_source_split(a, a, src, d);
}

struct ast_file *
parse_source_split(struct arena *a, struct arena *nodes, struct source *src,
    struct diag *d)
{
	struct ast_file *f = arena_alloc(nodes, sizeof *f);
	struct lexer lx = { .a = a, .d = d, .src = src };
	struct parser p = { .a = nodes, .d = d, .src = src, .lx = &lx };
	yyscan_t scanner;
	YY_BUFFER_STATE buf;
	int rc;

	f->src = src;
	if (src->len > INT32_MAX - 2) {
		diag_limit(d, (struct srcloc){ 0, 0, 0 }, "file too large");
		return f;
	}
	if (yylex_init_extra(&lx, &scanner) != 0)
		fatal("out of memory");
	buf = yy_scan_bytes(src->text, (int)src->len, scanner);
	rc = yyparse(scanner, &p);
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
	free(lx.buf);
	/* Bison gives up only after reporting; keep that promise visible. */
	if (rc != 0 && d->nerrors == 0)
		diag_error(d, lx.cur, "syntax error");
	f->items = (struct ast_item **)p.items.v;
	f->nitems = p.items.len;
	f->comments = lx.comments;
	f->ncomments = lx.ncomments;
	return f;
}
