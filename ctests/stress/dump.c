/* Scenario 1: a large dump while other processes change the table.
 *
 *   dump fill FIRST COUNT     creates the stable entries FIRST.. (port 80)
 *   dump churn PORT           creates and deletes 2000 entries of its own
 *                             port in a loop until SIGTERM (15 minutes
 *                             at most), then prints
 *                             how many rounds it made
 *   dump dump N ROUNDS        dumps the table ROUNDS times through
 *                             nfct_query(NFCT_Q_DUMP): each stable entry
 *                             0..N-1 must be reported at least once per
 *                             round; prints duplicates, other entries and
 *                             the process's peak RSS (VmHWM)
 */
#include <signal.h>
#include "common.h"

#define STABLE_PORT 80
#define CHURN_SIZE 2000

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

struct tally {
	uint8_t *seen;
	long n, reported, others;
};

static int count_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct tally *t = data;
	long i = stress_idx(ct, STABLE_PORT);

	(void)type;
	t->reported++;
	if (i >= 0 && i < t->n) {
		if (t->seen[i] < 255)
			t->seen[i]++;
	} else {
		t->others++;
	}
	return NFCT_CB_CONTINUE;
}

static int dump(long n, int rounds)
{
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	struct tally t = { .n = n };
	uint32_t family = AF_INET;
	int bad = 0;

	CHECK(h, "nfct_open: %s", strerror(errno));
	t.seen = calloc(n, 1);
	CHECK(t.seen, "calloc");
	nfct_callback_register(h, NFCT_T_ALL, count_cb, &t);
	for (int r = 1; r <= rounds; r++) {
		long missing = 0, dups = 0;
		double t0 = secs();

		memset(t.seen, 0, n);
		t.reported = t.others = 0;
		CHECK(nfct_query(h, NFCT_Q_DUMP, &family) == 0, "dump: %s", strerror(errno));
		for (long i = 0; i < n; i++) {
			if (!t.seen[i])
				missing++;
			else
				dups += t.seen[i] - 1;
		}
		printf("round %d: %ld reported in %.2f s, stable %ld, missing %ld, "
		       "duplicates %ld, others %ld\n",
		       r, t.reported, secs() - t0, n, missing, dups, t.others);
		if (missing)
			bad = 1;
	}
	printf("VmHWM %ld KiB\n", vm_kib("VmHWM"));
	nfct_close(h);
	free(t.seen);
	return bad;
}

static int churn(uint16_t port)
{
	struct mnl_socket *nl = stress_nl();
	long rounds = 0;
	double until = secs() + 900; /* should SIGTERM never come */

	signal(SIGTERM, on_term);
	while (!stop && secs() < until) {
		CHECK(stress_batch(nl, 1, 0, CHURN_SIZE, port, NULL) == 0, "churn create");
		CHECK(stress_batch(nl, 0, 0, CHURN_SIZE, port, NULL) == 0, "churn delete");
		rounds++;
	}
	printf("churn port %u: %ld rounds of %d creates and deletes\n", port, rounds,
	       CHURN_SIZE);
	mnl_socket_close(nl);
	return rounds > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "fill") == 0) {
		struct mnl_socket *nl = stress_nl();
		unsigned errs = stress_batch(nl, 1, atol(argv[2]), atol(argv[3]), STABLE_PORT, NULL);

		CHECK(errs == 0, "fill: %u refused", errs);
		mnl_socket_close(nl);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "churn") == 0)
		return churn(atoi(argv[2]));
	if (argc == 4 && strcmp(argv[1], "dump") == 0)
		return dump(atol(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: dump fill FIRST COUNT | churn PORT | dump N ROUNDS\n");
	return 2;
}
