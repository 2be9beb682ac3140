/* Scenario 4: the table full.
 *
 *   full fill LIMIT
 *   full check
 *
 * nf_conntrack_max cannot be written inside a network namespace, but the
 * kernel compares it with the namespace's own entry count: a namespace
 * holds at most nf_conntrack_max entries, whatever the others hold. This
 * fills the namespace to nf_conntrack_max with ASSURED entries (which
 * the kernel never drops early to make room; refusing to when
 * nf_conntrack_max exceeds LIMIT) and checks that further creations are
 * refused. check, run once per library on the same full table, prints
 * how nfct_query(NFCT_Q_CREATE) fails (for t-stress.sh to compare with
 * the original) and checks that the handle works once some entries are
 * deleted. */
#include "common.h"

#define FULL_PORT 70
#define FREED 10
#define MAX_FILE "/proc/sys/net/netfilter/nf_conntrack_max"
#define COUNT_FILE "/proc/sys/net/netfilter/nf_conntrack_count"

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Fills the namespace's table to nf_conntrack_max over a libmnl socket
 * (no library involved) and checks that the kernel refuses more. */
static int fill(long limit)
{
	long max = read_long(MAX_FILE), count;
	struct mnl_socket *nl = stress_nl();
	double t0 = secs();
	unsigned refused;
	int eno = 0;

	CHECK(max > 0, "cannot read nf_conntrack_max");
	CHECK(max <= limit, "nf_conntrack_max is %ld, above the limit %ld for this test", max,
	      limit);
	CHECK(read_long(COUNT_FILE) == 0, "the namespace's table is not empty");
	refused = stress_batch(nl, 1, 0, max, FULL_PORT, NULL);
	count = read_long(COUNT_FILE);
	CHECK(refused == 0 && count == max, "filling: %u refused, %ld entries of %ld", refused,
	      count, max);
	refused = stress_batch(nl, 1, max, 100, FULL_PORT, &eno);
	CHECK(refused == 100 && read_long(COUNT_FILE) == max,
	      "beyond the limit the kernel took %u of 100", 100 - refused);
	printf("filled to nf_conntrack_max = %ld in %.1f s; the kernel refuses more with %s\n",
	       max, secs() - t0, strerrorname_np(eno));
	mnl_socket_close(nl);
	return 0;
}

/* Through the library, on the full table: a create fails; after deleting
 * a few entries the same handle creates and reads back; then the table
 * is made full again, for the next run. */
static int check(void)
{
	long max = read_long(MAX_FILE);
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	struct nf_conntrack *extra = stress_ct(max + 1000, FULL_PORT);
	int rc, eno;

	CHECK(h && extra, "nfct_open: %s", strerror(errno));
	CHECK(read_long(COUNT_FILE) == max, "the table is not full");
	rc = nfct_query(h, NFCT_Q_CREATE, extra);
	eno = errno;
	printf("nfct_query(NFCT_Q_CREATE) on a full table: %d, errno %s\n", rc,
	       rc ? strerrorname_np(eno) : "-");
	CHECK(rc == -1, "a create on a full table succeeded");
	for (int i = 0; i < FREED; i++) {
		struct nf_conntrack *ct = stress_ct(i, FULL_PORT);

		CHECK(nfct_query(h, NFCT_Q_DESTROY, ct) == 0, "delete: %s", strerror(errno));
		nfct_destroy(ct);
	}
	CHECK(nfct_query(h, NFCT_Q_CREATE, extra) == 0, "create after deleting %d: %s", FREED,
	      strerror(errno));
	CHECK(nfct_query(h, NFCT_Q_GET, extra) == 0, "get: %s", strerror(errno));
	printf("after deleting %d entries the same handle creates and gets again\n", FREED);
	CHECK(nfct_query(h, NFCT_Q_DESTROY, extra) == 0, "delete: %s", strerror(errno));
	for (int i = 0; i < FREED; i++) {
		struct nf_conntrack *ct = stress_ct(i, FULL_PORT);

		CHECK(nfct_query(h, NFCT_Q_CREATE, ct) == 0, "refill: %s", strerror(errno));
		nfct_destroy(ct);
	}
	CHECK(read_long(COUNT_FILE) == max, "the table is not full again");
	nfct_destroy(extra);
	nfct_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "fill") == 0)
		return fill(atol(argv[2]));
	if (argc == 2 && strcmp(argv[1], "check") == 0)
		return check();
	fprintf(stderr, "usage: full fill LIMIT | full check\n");
	return 2;
}
