/* A ctnetlink handle the way ulogd2, conntrackd and dnsmasq use one:
 * subscribe to events, attach an event filter, size the socket buffer
 * through libnfnetlink, register callbacks (old and netlink-header
 * flavours) and ask the kernel for one entry and for a dump.
 *
 * Without permission to open ctnetlink (no CAP_NET_ADMIN) it says so and
 * only checks what needs no socket. Kernel answers such as "no such
 * entry" are fine; a crash or a wrong return convention is not.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static int failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                    \
			failures++;                                        \
		}                                                          \
	} while (0)

struct seen {
	unsigned int entries;
	uint32_t mark;
};

static int count_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
		    void *data)
{
	struct seen *s = data;

	if (type & NFCT_T_ALL)
		s->entries++;
	if (nfct_attr_is_set(ct, ATTR_MARK) > 0)
		s->mark = nfct_get_attr_u32(ct, ATTR_MARK);
	return NFCT_CB_CONTINUE;
}

static int header_cb(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
		     struct nf_conntrack *ct, void *data)
{
	struct seen *s = data;

	(void)type;
	(void)ct;
	if (nlh != NULL)
		s->entries++;
	return NFCT_CB_STOP;
}

static struct nfct_filter *event_filter(void)
{
	struct nfct_filter *f = nfct_filter_create();
	struct nfct_filter_ipv4 lo = {
		.addr = ntohl(inet_addr("127.0.0.1")),
		.mask = 0xffffffff,
	};
	struct nfct_filter_proto tcp_est = {
		.proto = IPPROTO_TCP,
		.state = 3,	/* TCP_CONNTRACK_ESTABLISHED */
	};

	if (f == NULL)
		return NULL;
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &tcp_est);
	nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV4, &lo);
	CHECK(nfct_filter_set_logic(f, NFCT_FILTER_SRC_IPV4,
				    NFCT_FILTER_LOGIC_NEGATIVE) == 0);
	return f;
}

static void events(void)
{
	struct nfct_handle *h;
	struct nfct_filter *f;
	struct seen seen = { 0, 0 };

	h = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	if (h == NULL) {
		printf("handle: cannot subscribe to events (%s); skipped\n",
		       strerror(errno));
		return;
	}
	CHECK(nfct_fd(h) >= 0);
	CHECK(nfct_nfnlh(h) != NULL);
	nfnl_rcvbufsiz(nfct_nfnlh(h), 1 << 20);
	f = event_filter();
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(nfct_filter_attach(nfct_fd(h), f) == 0);
		nfct_filter_destroy(f);
		CHECK(nfct_filter_detach(nfct_fd(h)) == 0);
	}
	CHECK(nfct_callback_register(h, NFCT_T_NEW | NFCT_T_DESTROY, count_cb,
				     &seen) == 0);
	nfct_callback_unregister(h);
	CHECK(nfct_close(h) == 0);
}

static void queries(void)
{
	struct nfct_handle *h;
	struct nf_conntrack *ct;
	struct seen seen = { 0, 0 };
	uint32_t family = AF_INET;
	int ret;

	h = nfct_open(CONNTRACK, 0);
	if (h == NULL) {
		printf("handle: cannot open ctnetlink (%s); skipped\n",
		       strerror(errno));
		return;
	}
	/* dnsmasq: look up the mark of one connection. */
	ct = nfct_new();
	CHECK(ct != NULL);
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr("127.0.0.1"));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr("127.0.0.2"));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(5353));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(53));
	CHECK(nfct_callback_register(h, NFCT_T_ALL, count_cb, &seen) == 0);
	ret = nfct_query(h, NFCT_Q_GET, ct);
	CHECK(ret == 0 || (ret == -1 && errno != 0));
	nfct_destroy(ct);

	/* conntrack -L: dump the table. */
	ret = nfct_query(h, NFCT_Q_DUMP, &family);
	CHECK(ret == 0 || (ret == -1 && errno != 0));
	nfct_callback_unregister(h);

	CHECK(nfct_callback_register2(h, NFCT_T_ALL, header_cb, &seen) == 0);
	ret = nfct_query(h, NFCT_Q_DUMP, &family);
	CHECK(ret == 0 || (ret == -1 && errno != 0));
	nfct_callback_unregister2(h);
	CHECK(nfct_close(h) == 0);
	printf("handle: %u conntrack entries seen\n", seen.entries);
}

int main(void)
{
	struct nfct_filter *f = event_filter();

	CHECK(f != NULL);
	nfct_filter_destroy(f);
	events();
	queries();
	if (failures)
		fprintf(stderr, "handle: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
