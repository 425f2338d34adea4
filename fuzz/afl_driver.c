/*
 * afl_driver.c - a main() for fuzz_pipeline.c: runs LLVMFuzzerTestOneInput
 * on each FILE argument, or on stdin when there is none.  Built with
 * afl-clang-fast it loops in AFL++'s persistent mode; built with any
 * compiler it replays crash files under a debugger or sanitizer.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (1u << 20)	/* bytes read per input, as AFL caps it */

/*
 * Reads 'fd' to its end (at most MAX_INPUT bytes) into 'buf'; returns the
 * length.  Unbuffered, so that AFL++ can rewind stdin between loops.
 */
static size_t
read_all(int fd, uint8_t *buf)
{
	size_t len = 0;
	ssize_t n;

	while (len < MAX_INPUT && (n = read(fd, buf + len, MAX_INPUT - len)) >
	    0)
		len += (size_t)n;
	return len;
}

int
main(int argc, char **argv)
{
	uint8_t *buf = malloc(MAX_INPUT);

	if (!buf) {
		perror("afl_driver");
		return 1;
	}
	if (argc < 2) {
#ifdef __AFL_HAVE_MANUAL_CONTROL
		while (__AFL_LOOP(10000)) {
			size_t len = read_all(STDIN_FILENO, buf);
			LLVMFuzzerTestOneInput(buf, len);
		}
#else
		LLVMFuzzerTestOneInput(buf, read_all(STDIN_FILENO, buf));
#endif
		free(buf);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			perror(argv[i]);
			free(buf);
			return 1;
		}
		size_t len = read_all(fd, buf);
		close(fd);
		fprintf(stderr, "afl_driver: %s (%zu bytes)\n", argv[i], len);
		LLVMFuzzerTestOneInput(buf, len);
	}
	free(buf);
	return 0;
}
