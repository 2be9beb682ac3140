/* Prints the BPF program that nfct_filter_attach installs for a set of
 * filters, one line per case: "name n code,jt,jf,k code,jt,jf,k ...".
 * Built against the original library, its output is the golden file
 * golden-bpf.txt the Rust unit tests compare with; built against ours,
 * its output must be identical. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static void dump(const char *name, struct nfct_filter *f)
{
	struct sock_filter prog[4096];
	socklen_t len = 4096; /* SO_GET_FILTER counts instructions */
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	unsigned int i;

	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	if (nfct_filter_attach(fd, f) < 0) {
		printf("%s attach-error %d\n", name, errno);
		close(fd);
		nfct_filter_destroy(f);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, prog, &len) < 0) {
		perror("getsockopt");
		exit(2);
	}
	printf("%s %u", name, (unsigned)len);
	for (i = 0; i < len; i++)
		printf(" %x,%x,%x,%x", prog[i].code, prog[i].jt, prog[i].jf,
		       prog[i].k);
	printf("\n");
	close(fd);
	nfct_filter_destroy(f);
}

static void add_v4(struct nfct_filter *f, int attr, uint32_t a, uint32_t m)
{
	struct nfct_filter_ipv4 v = { .addr = a, .mask = m };
	nfct_filter_add_attr(f, attr, &v);
}

static void add_v6(struct nfct_filter *f, int attr, uint32_t w0, uint32_t w3)
{
	struct nfct_filter_ipv6 v = {
		.addr = { w0, 0, 0, w3 },
		.mask = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
	};
	nfct_filter_add_attr(f, attr, &v);
}

static void add_mark(struct nfct_filter *f, uint32_t val, uint32_t mask)
{
	struct nfct_filter_dump_mark m = { .val = val, .mask = mask };
	nfct_filter_add_attr(f, NFCT_FILTER_MARK, &m);
}

static void add_state(struct nfct_filter *f, int proto, int state)
{
	struct nfct_filter_proto p = { .proto = proto, .state = state };
	nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &p);
}

int main(void)
{
	struct nfct_filter *f;
	int i;

	dump("empty", nfct_filter_create());

	f = nfct_filter_create();
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	dump("proto", f);

	f = nfct_filter_create();
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_ICMP);
	nfct_filter_set_logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_NEGATIVE);
	dump("proto-neg", f);

	f = nfct_filter_create();
	add_v4(f, NFCT_FILTER_SRC_IPV4, 0x7f000001, 0xffffffff);
	add_v4(f, NFCT_FILTER_SRC_IPV4, 0x0a000000, 0xff000000);
	dump("src4", f);

	f = nfct_filter_create();
	add_v4(f, NFCT_FILTER_DST_IPV4, 0xc0a80001, 0xffffff00);
	nfct_filter_set_logic(f, NFCT_FILTER_DST_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	dump("dst4-neg", f);

	f = nfct_filter_create();
	add_v6(f, NFCT_FILTER_SRC_IPV6, 0x20010db8, 1);
	add_v6(f, NFCT_FILTER_SRC_IPV6, 0, 1);
	dump("src6", f);

	f = nfct_filter_create();
	add_v6(f, NFCT_FILTER_DST_IPV6, 0xfe800000, 2);
	nfct_filter_set_logic(f, NFCT_FILTER_DST_IPV6, NFCT_FILTER_LOGIC_NEGATIVE);
	dump("dst6-neg", f);

	f = nfct_filter_create();
	add_state(f, IPPROTO_TCP, 3);
	add_state(f, IPPROTO_TCP, 1);
	dump("tcp-state", f);

	f = nfct_filter_create();
	add_state(f, IPPROTO_SCTP, 2);
	nfct_filter_set_logic(f, NFCT_FILTER_L4PROTO_STATE, NFCT_FILTER_LOGIC_NEGATIVE);
	dump("sctp-state-neg", f);

	f = nfct_filter_create();
	add_state(f, IPPROTO_UDP, 2);
	dump("udp-state", f);

	f = nfct_filter_create();
	add_mark(f, 1, 0xffffffff);
	add_mark(f, 0x100, 0xf00);
	dump("mark", f);

	f = nfct_filter_create();
	add_mark(f, 7, 0xff);
	nfct_filter_set_logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE);
	dump("mark-neg", f);

	f = nfct_filter_create();
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	add_v4(f, NFCT_FILTER_SRC_IPV4, 0x7f000001, 0xffffffff);
	add_v4(f, NFCT_FILTER_DST_IPV4, 0x7f000002, 0xffffffff);
	add_v6(f, NFCT_FILTER_SRC_IPV6, 0, 1);
	add_v6(f, NFCT_FILTER_DST_IPV6, 0, 1);
	add_state(f, IPPROTO_TCP, 3);
	add_mark(f, 1, 1);
	nfct_filter_set_logic(f, NFCT_FILTER_SRC_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	dump("all", f);

	f = nfct_filter_create();
	for (i = 0; i < 20; i++)
		add_v6(f, NFCT_FILTER_SRC_IPV6, i, i);
	dump("src6-max", f);

	f = nfct_filter_create();
	for (i = 0; i < 80; i++)
		add_v4(f, NFCT_FILTER_DST_IPV4, i, 0xffffffff);
	dump("dst4-80", f);

	return 0;
}
