# --warnings=all prints every warning (14), -W none none, and the JSON
# "warnings" list keeps all of them whatever the option; a bad value is a
# usage error.
"$1" --warnings=all tests/golden/warnings_cap.char 2>&1 >/dev/null | grep -c 'warning:'
"$1" -W none tests/golden/warnings_cap.char 2>&1 >/dev/null | grep -c .
"$1" --format json tests/golden/warnings_cap.char 2>/dev/null | grep -c 'can never fire'
"$1" --warnings some tests/golden/warnings_cap.char
