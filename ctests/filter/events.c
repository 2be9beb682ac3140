/* Kernel test of nfct_filter_attach: listens for new-conntrack events on
 * a NETLINK_NETFILTER socket with the filter of case argv[1] attached,
 * then for each pair "command expected" runs the command (which creates
 * one entry) and counts the events that arrive within half a second.
 * Prints one line per command; exits 1 if a count differs from the
 * expected one. Run it in a fresh network namespace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static int build(const char *name, struct nfct_filter *f)
{
	if (!strcmp(name, "proto")) {
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	} else if (!strcmp(name, "src4-neg")) {
		struct nfct_filter_ipv4 v = { .addr = 0x0a000000, .mask = 0xff000000 };

		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV4, &v);
		nfct_filter_set_logic(f, NFCT_FILTER_SRC_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	} else if (!strcmp(name, "dst4")) {
		struct nfct_filter_ipv4 v = { .addr = 0xc0a80002, .mask = 0xffffffff };

		nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV4, &v);
	} else if (!strcmp(name, "src6")) {
		struct nfct_filter_ipv6 v = {
			.addr = { 0x20010db8, 0, 0, 1 },
			.mask = { ~0U, ~0U, ~0U, ~0U },
		};
		struct nfct_filter_ipv6 w = {
			.addr = { 0x20010db8, 0, 0, 3 },
			.mask = { ~0U, ~0U, ~0U, ~0U },
		};

		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV6, &w);
		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV6, &v);
	} else if (!strcmp(name, "state")) {
		struct nfct_filter_proto p = { .proto = IPPROTO_TCP, .state = 3 };

		nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &p);
	} else if (!strcmp(name, "mark")) {
		struct nfct_filter_dump_mark m = { .val = 5, .mask = 0xff };

		nfct_filter_add_attr(f, NFCT_FILTER_MARK, &m);
	} else if (!strcmp(name, "zone")) {
		nfct_filter_add_attr_u32(f, 7 /* NFCT_FILTER_ZONE */, 7);
	} else {
		return -1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	struct nfct_filter *f;
	char buf[8192];
	int fd, i, bad = 0;

	if (argc < 2 || argc % 2) {
		fprintf(stderr, "usage: %s case [command expected]...\n", argv[0]);
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		return 2;
	}
	f = nfct_filter_create();
	if (build(argv[1], f) < 0) {
		fprintf(stderr, "unknown case %s\n", argv[1]);
		return 2;
	}
	if (nfct_filter_attach(fd, f) < 0) {
		perror("nfct_filter_attach");
		return 1;
	}
	nfct_filter_destroy(f);

	for (i = 2; i + 1 < argc; i += 2) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int want = atoi(argv[i + 1]), got = 0;

		if (system(argv[i]) != 0) {
			fprintf(stderr, "command failed: %s\n", argv[i]);
			return 2;
		}
		while (poll(&p, 1, 500) > 0) {
			if (recv(fd, buf, sizeof(buf), 0) > 0)
				got++;
		}
		printf("%s: %s -> %d event(s)%s\n", argv[1], argv[i], got,
		       got == want ? "" : " UNEXPECTED");
		if (got != want)
			bad = 1;
	}
	if (nfct_filter_detach(fd) < 0) {
		perror("nfct_filter_detach");
		return 1;
	}
	close(fd);
	return bad;
}
