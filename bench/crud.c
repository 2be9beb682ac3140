/* Create then destroy N entries, one nfct_query each (the object built
 * beforehand), in a namespace of its own. Prints both rates.
 * Usage: crud N */
#include "common.h"

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	struct nf_conntrack **cts = calloc(n, sizeof(*cts));
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	double t0, t1, t2;

	if (!h || !cts) {
		perror("nfct_open");
		return 1;
	}
	for (uint32_t i = 0; i < n; i++)
		cts[i] = bench_ct(i, 0);
	t0 = now_s();
	for (uint32_t i = 0; i < n; i++)
		if (nfct_query(h, NFCT_Q_CREATE, cts[i]) < 0) {
			perror("create");
			return 1;
		}
	t1 = now_s();
	for (uint32_t i = 0; i < n; i++)
		if (nfct_query(h, NFCT_Q_DESTROY, cts[i]) < 0) {
			perror("destroy");
			return 1;
		}
	t2 = now_s();
	printf("entries %u create_rate %.0f destroy_rate %.0f\n", n, n / (t1 - t0), n / (t2 - t1));
	for (uint32_t i = 0; i < n; i++)
		nfct_destroy(cts[i]);
	free(cts);
	nfct_close(h);
	return 0;
}
