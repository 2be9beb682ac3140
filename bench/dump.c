/* Dumps the table with nfct_query(NFCT_Q_DUMP). Modes: "parse" (the
 * callback only counts), "format" (it also calls nfct_snprintf into a
 * buffer). Prints entries, seconds, entries/s and the process's peak RSS.
 * Usage: dump parse|format */
#include <sys/resource.h>
#include "common.h"

static unsigned long entries, bytes;
static int format;

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	char buf[1024];

	(void)data;
	entries++;
	if (format)
		bytes += nfct_snprintf(buf, sizeof(buf), ct, type, NFCT_O_DEFAULT,
				       NFCT_OF_SHOW_LAYER3);
	return NFCT_CB_CONTINUE;
}

/* What callgrind counts (--toggle-collect=run_dump). */
__attribute__((noinline)) static int run_dump(struct nfct_handle *h)
{
	uint32_t family = AF_UNSPEC;

	return nfct_query(h, NFCT_Q_DUMP, &family);
}

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	struct rusage ru;
	double t0, t1;

	if (argc != 2 || (strcmp(argv[1], "parse") && strcmp(argv[1], "format"))) {
		fprintf(stderr, "usage: %s parse|format\n", argv[0]);
		return 2;
	}
	format = !strcmp(argv[1], "format");
	h = nfct_open(CONNTRACK, 0);
	if (!h) {
		perror("nfct_open");
		return 1;
	}
	nfct_callback_register(h, NFCT_T_ALL, cb, NULL);
	t0 = now_s();
	if (run_dump(h) < 0) {
		perror("nfct_query");
		return 1;
	}
	t1 = now_s();
	nfct_close(h);
	getrusage(RUSAGE_SELF, &ru);
	printf("entries %lu secs %.6f rate %.0f maxrss_kb %ld bytes %lu\n", entries, t1 - t0,
	       entries / (t1 - t0), ru.ru_maxrss, bytes);
	return 0;
}
