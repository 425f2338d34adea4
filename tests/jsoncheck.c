/*
 * jsoncheck.c - exits 0 when each file named is one JSON document that a
 * strict parser accepts: valid UTF-8 throughout, no NaN or Infinity, no
 * trailing bytes.  Used by tests/hostile on every machine-output test
 * (issue 17: raw invalid UTF-8 and "factor": inf were once printed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static int
check(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (len + 65536 > cap) {
			cap = (cap + 65536) * 2;
			if (!(buf = realloc(buf, cap)))
				return 1;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	struct json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *o = json_tokener_parse_ex(tok, buf, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	int bad = !o || e != json_tokener_success;
	/* Whitespace may follow the document; nothing else. */
	for (size_t i = used; !bad && i < len; i++)
		bad = !strchr(" \t\r\n", buf[i]);
	if (bad)
		fprintf(stderr, "%s: not one strict UTF-8 JSON document "
		    "(%s, at byte %zu of %zu)\n", path,
		    json_tokener_error_desc(e), used, len);
	json_object_put(o);
	json_tokener_free(tok);
	free(buf);
	return bad;
}

int
main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: jsoncheck FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		bad |= check(argv[i]);
	return bad;
}
