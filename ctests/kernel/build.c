/* The deprecated libnfnetlink-style calls: the bytes nfct_build_query
 * writes for every query type, nfct_build_conntrack, and what
 * nfct_parse_conntrack makes of messages of each type. */
#include "common.h"

static char ssh_dummy[64];	/* the original asserts a non-NULL handle */
#define SSH ((struct nfnl_subsys_handle *)ssh_dummy)

static void hex(const char *what, int r, const void *buf)
{
	const unsigned char *b = buf;
	unsigned int n = ((const struct nlmsghdr *)buf)->nlmsg_len;

	printf("%s = %d errno=%d:", what, r, r < 0 ? errno : 0);
	for (unsigned int i = 0; i < n && i < 512; i++)
		printf("%s%02x", i % 4 ? "" : " ", b[i]);
	printf("\n");
}

static struct nf_conntrack *flow(void)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	set_addr4(ct, ATTR_IPV4_SRC, "192.0.2.1");
	set_addr4(ct, ATTR_IPV4_DST, "192.0.2.2");
	set_addr4(ct, ATTR_REPL_IPV4_SRC, "192.0.2.2");
	set_addr4(ct, ATTR_REPL_IPV4_DST, "192.0.2.1");
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(1));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(2));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(2));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(1));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfct_set_attr_u32(ct, ATTR_MARK, 9);
	return ct;
}

int main(void)
{
	static const char *names[] = {
		"create", "update", "destroy", "get", "flush", "dump",
		"dump_reset", "create_update", "dump_filter",
		"dump_filter_reset", "flush_filter",
	};
	char buf[1024], what[64], text[1024];
	struct nf_conntrack *ct = flow(), *empty = nfct_new(), *p;
	struct nfct_filter_dump *f = nfct_filter_dump_create();
	uint32_t family = AF_INET6;
	int r;

	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_MARK,
		&(struct nfct_filter_dump_mark){ .val = 9, .mask = 0xff });
	for (int q = 0; q <= NFCT_Q_FLUSH_FILTER; q++) {
		const void *data = ct;

		if (q == NFCT_Q_FLUSH || q == NFCT_Q_DUMP || q == NFCT_Q_DUMP_RESET)
			data = &family;
		else if (q >= NFCT_Q_DUMP_FILTER)
			data = f;
		memset(buf, 0x55, sizeof(buf));
		errno = 0;
		r = nfct_build_query(SSH, q, data, buf, sizeof(buf));
		snprintf(what, sizeof(what), "build_query %s", names[q]);
		/* 1.0.9 sends a flush filter without its attributes, and
		 * with a family read from the filter's first word; 1.1.1
		 * fixed both. */
		if (q == NFCT_Q_FLUSH_FILTER)
			printf("%s = %d\n", what, r);
		else
			hex(what, r, buf);
	}
	nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET);
	r = nfct_build_query(SSH, NFCT_Q_DUMP_FILTER, f, buf, sizeof(buf));
	hex("build_query dump_filter l3num", r, buf);
	memset(buf, 0x55, sizeof(buf));
	r = nfct_build_query(SSH, NFCT_Q_CREATE, empty, buf, sizeof(buf));
	printf("build_query create without layer 3 = %d, bytes %02x%02x%02x%02x\n",
	       r, buf[0] & 0xff, buf[1] & 0xff, buf[2] & 0xff, buf[3] & 0xff);
	errno = 0;
	r = nfct_build_query(SSH, 11, &family, buf, sizeof(buf));
	printf("build_query 11 = %d errno=%d\n", r, errno);

	r = nfct_build_conntrack(SSH, buf, sizeof(buf), IPCTNL_MSG_CT_NEW,
				 NLM_F_REQUEST | NLM_F_CREATE, ct);
	hex("build_conntrack new", r, buf);
	errno = 0;
	r = nfct_build_conntrack(SSH, buf, sizeof(buf), IPCTNL_MSG_CT_NEW, 0, empty);
	printf("build_conntrack without layer 3 = %d errno=%d\n", r, errno);

	for (int t = 0; t < 3; t++) {
		static const uint16_t types[] = { IPCTNL_MSG_CT_NEW, IPCTNL_MSG_CT_NEW,
						  IPCTNL_MSG_CT_DELETE };
		static const uint16_t flags[] = { NLM_F_CREATE, 0, 0 };

		nfct_build_conntrack(SSH, buf, sizeof(buf), types[t], flags[t], ct);
		for (int want = 0; want <= NFCT_T_ALL; want++) {
			p = nfct_new();
			r = nfct_parse_conntrack(want, (void *)buf, p);
			strcpy(text, "(nothing)");
			if (nfct_attr_is_set(p, ATTR_ORIG_L3PROTO) > 0)
				ct_text(text, sizeof(text), p, NFCT_T_UNKNOWN);
			printf("parse type %d flags %d want %d = %d: %s\n",
			       types[t], flags[t], want, r, text);
			nfct_destroy(p);
		}
	}
	nfct_filter_dump_destroy(f);
	nfct_destroy(ct);
	nfct_destroy(empty);
	return 0;
}
