/* Dumps the table with nfct_query(NFCT_Q_DUMP). Modes: "parse" (the
 * callback only counts), "format" (it also calls nfct_snprintf into a
 * buffer). Prints entries, seconds, entries/s and the process's peak RSS:
 * VmHWM, this program's own peak. (getrusage's ru_maxrss would also count
 * the shell that forked it, since Linux keeps the larger of the two
 * across execve.)
 * Usage: dump parse|format */
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

/* VmHWM of /proc/self/status, in KiB; -1 if it cannot be read. */
static long peak_rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
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
	printf("entries %lu secs %.6f rate %.0f hwm_kb %ld bytes %lu\n", entries, t1 - t0,
	       entries / (t1 - t0), peak_rss_kb(), bytes);
	return 0;
}
