/* Scenario 5: memory over many create/destroy cycles on one handle.
 *
 *   cycles COUNT [BOUND_KIB]
 *
 * Each cycle: nfct_new, the setters, nfct_query(NFCT_Q_CREATE),
 * nfct_query(NFCT_Q_DESTROY), nfct_destroy. VmRSS is sampled after
 * 10,000 and 100,000 cycles (or COUNT/10 when COUNT is smaller) and at
 * the end; the end may exceed the 100,000 sample by at most BOUND_KIB
 * (default 256). */
#include "common.h"

#define CYCLE_PORT 60

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000, bound = argc > 2 ? atol(argv[2]) : 256;
	long early = n >= 1000000 ? 10000 : n / 100, mid = n >= 1000000 ? 100000 : n / 10;
	long rss_early = -1, rss_mid = -1, rss_end;
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	double t0 = secs(), t;

	CHECK(h, "nfct_open: %s", strerror(errno));
	CHECK(n >= 100, "at least 100 cycles");
	for (long i = 1; i <= n; i++) {
		struct nf_conntrack *ct = stress_ct(i & 0xffff, CYCLE_PORT);

		CHECK(ct, "nfct_new");
		CHECK(nfct_query(h, NFCT_Q_CREATE, ct) == 0, "cycle %ld: create: %s", i,
		      strerror(errno));
		CHECK(nfct_query(h, NFCT_Q_DESTROY, ct) == 0, "cycle %ld: destroy: %s", i,
		      strerror(errno));
		nfct_destroy(ct);
		if (i == early)
			rss_early = vm_kib("VmRSS");
		if (i == mid)
			rss_mid = vm_kib("VmRSS");
	}
	t = secs() - t0;
	rss_end = vm_kib("VmRSS");
	printf("%ld cycles in %.1f s (%.0f/s); VmRSS %ld KiB at %ld, %ld KiB at %ld, "
	       "%ld KiB at %ld (growth %+ld KiB, bound %ld)\n",
	       n, t, n / t, rss_early, early, rss_mid, mid, rss_end, n, rss_end - rss_mid, bound);
	CHECK(rss_end - rss_mid <= bound, "VmRSS grew by %ld KiB", rss_end - rss_mid);
	nfct_close(h);
	return 0;
}
