/* Fills the namespace's conntrack table with entries START..START+COUNT-1
 * of common.h, in batches over a plain netlink socket.
 * Usage: fill START COUNT */
#include "common.h"

int main(int argc, char **argv)
{
	struct mnl_socket *nl;
	unsigned errs;

	if (argc != 3) {
		fprintf(stderr, "usage: %s START COUNT\n", argv[0]);
		return 2;
	}
	nl = open_nl();
	errs = create_entries(nl, strtoul(argv[1], NULL, 0), strtoul(argv[2], NULL, 0), 0);
	mnl_socket_close(nl);
	if (errs) {
		fprintf(stderr, "fill: the kernel refused %u entries\n", errs);
		return 1;
	}
	return 0;
}
