/* The expectation life cycle against the kernel: a master conntrack with
 * the ftp helper, then nfexp_query create (plain, NAT, userspace with an
 * expectation function), get, dump, destroy and flush, with errno on the
 * failures, expectation events through nfexp_catch, and the deprecated
 * builders. Run in a fresh network namespace. */
#include "common.h"

static int cb(enum nf_conntrack_msg_type type, struct nf_expect *exp,
	      void *data)
{
	char buf[1024];

	(void)data;
	exp_text(buf, sizeof(buf), exp, type);
	collect(buf);
	return NFCT_CB_CONTINUE;
}

static int stop_on_destroy(enum nf_conntrack_msg_type type,
			   struct nf_expect *exp, void *data)
{
	cb(type, exp, data);
	return type == NFCT_T_DESTROY ? NFCT_CB_STOP : NFCT_CB_CONTINUE;
}

static struct nf_expect *kept[16];
static int nkept;

static int steal(enum nf_conntrack_msg_type type, struct nf_expect *exp,
		 void *data)
{
	(void)type; (void)data;
	if (nkept < 16)
		kept[nkept++] = exp;
	return NFCT_CB_STOLEN;
}

static int with_header(const struct nlmsghdr *nlh,
		       enum nf_conntrack_msg_type type, struct nf_expect *exp,
		       void *data)
{
	printf("  nlmsg type %#x flags %#x data %s\n", nlh->nlmsg_type,
	       nlh->nlmsg_flags & ~NLM_F_MULTI, (const char *)data);
	return cb(type, exp, NULL);
}

static struct nf_conntrack *tuple(const char *src, const char *dst,
				  int sport, int dport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	set_addr4(ct, ATTR_IPV4_SRC, src);
	set_addr4(ct, ATTR_IPV4_DST, dst);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(dport));
	return ct;
}

static struct nf_conntrack *master(int sport)
{
	struct nf_conntrack *ct = tuple("192.0.2.1", "192.0.2.2", sport, 21);

	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	set_addr4(ct, ATTR_REPL_IPV4_SRC, "192.0.2.2");
	set_addr4(ct, ATTR_REPL_IPV4_DST, "192.0.2.1");
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(21));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(sport));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 1000);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	return ct;
}

static struct nf_expect *expectation(int msport, int dport)
{
	struct nf_conntrack *m = tuple("192.0.2.1", "192.0.2.2", msport, 21);
	struct nf_conntrack *e = tuple("192.0.2.2", "192.0.2.1", 0, dport);
	struct nf_conntrack *k = tuple("255.255.255.255", "255.255.255.255",
				       0, 0xffff);
	struct nf_expect *exp = nfexp_new();

	nfexp_set_attr(exp, ATTR_EXP_MASTER, m);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, e);
	nfexp_set_attr(exp, ATTR_EXP_MASK, k);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 300);
	nfct_destroy(m);
	nfct_destroy(e);
	nfct_destroy(k);
	return exp;
}

static void dump(struct nfct_handle *h, const char *what)
{
	uint8_t family = AF_INET;

	SHOW(what, nfexp_query(h, NFCT_Q_DUMP, &family));
	flush_lines("  ");
}

static void hex(const char *what, const void *buf, int n)
{
	const unsigned char *b = buf;

	printf("%s:", what);
	for (int i = 0; i < n; i++)
		printf("%s%02x", i % 4 ? "" : " ", b[i]);
	printf("\n");
}

int main(void)
{
	struct nfct_handle *h, *ev;
	struct nf_conntrack *ct;
	struct nf_expect *exp;
	uint8_t family = AF_INET;
	char buf[512];
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(30);
	h = nfct_open(NFNL_SUBSYS_NONE, 0);
	ev = nfct_open(EXPECT, NF_NETLINK_CONNTRACK_EXP_NEW |
		       NF_NETLINK_CONNTRACK_EXP_DESTROY);
	if (!h || !ev) { perror("nfct_open"); return 1; }
	SHOW("register", nfexp_callback_register(h, NFCT_T_ALL, cb, NULL));
	SHOW("register events", nfexp_callback_register(ev, NFCT_T_ALL,
							stop_on_destroy, NULL));

	printf("== without a master\n");
	exp = expectation(1000, 3000);
	SHOW("create", nfexp_query(h, NFCT_Q_CREATE, exp));

	printf("== master with the ftp helper\n");
	ct = master(1000);
	SHOW("create master", nfct_query(h, NFCT_Q_CREATE, ct));
	nfct_destroy(ct);
	SHOW("create", nfexp_query(h, NFCT_Q_CREATE, exp));
	SHOW("create again", nfexp_query(h, NFCT_Q_CREATE, exp));
	SHOW("get", nfexp_query(h, NFCT_Q_GET, exp));
	flush_lines("  ");
	dump(h, "dump");
	SHOW("destroy", nfexp_query(h, NFCT_Q_DESTROY, exp));
	SHOW("destroy again", nfexp_query(h, NFCT_Q_DESTROY, exp));
	SHOW("get after destroy", nfexp_query(h, NFCT_Q_GET, exp));
	SHOW("create_update", nfexp_query(h, NFCT_Q_CREATE_UPDATE, exp));
	SHOW("catch events", nfexp_catch(ev));
	flush_lines("  event ");
	nfexp_destroy(exp);

	printf("== flags, helper name, zone\n");
	exp = expectation(1000, 3001);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, NF_CT_EXPECT_PERMANENT);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	SHOW("create permanent", nfexp_query(h, NFCT_Q_CREATE, exp));
	nfexp_destroy(exp);
	exp = expectation(1000, 3002);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, NF_CT_EXPECT_USERSPACE);
	nfexp_set_attr(exp, ATTR_EXP_FN, "nat-follow-master");
	SHOW("create userspace", nfexp_query(h, NFCT_Q_CREATE, exp));
	nfexp_destroy(exp);
	exp = expectation(1000, 3003);
	ct = tuple("198.51.100.1", "192.0.2.1", 0, 4000);
	nfexp_set_attr(exp, ATTR_EXP_NAT_TUPLE, ct);
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, 1);
	nfct_destroy(ct);
	SHOW("create nat", nfexp_query(h, NFCT_Q_CREATE, exp));
	nfexp_destroy(exp);
	exp = expectation(1000, 3004);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 3);
	SHOW("create in zone 3 (master in zone 0)", nfexp_query(h, NFCT_Q_CREATE, exp));
	nfexp_destroy(exp);
	dump(h, "dump");

	printf("== verdicts\n");
	nfexp_callback_unregister(h);
	SHOW("register stealing", nfexp_callback_register(h, NFCT_T_ALL, steal, NULL));
	dump(h, "dump stolen");
	for (int i = 0; i < nkept; i++) {
		exp_text(buf, sizeof(buf), kept[i], NFCT_T_UNKNOWN);
		printf("  kept %s\n", buf);
		nfexp_destroy(kept[i]);
	}
	nfexp_callback_unregister(h);
	SHOW("register2", nfexp_callback_register2(h, NFCT_T_UPDATE, with_header, "two"));
	dump(h, "dump cb2");
	nfexp_callback_unregister2(h);
	nfexp_callback_register(h, NFCT_T_ALL, cb, NULL);

	printf("== send and catch\n");
	SHOW("send dump", nfexp_send(h, NFCT_Q_DUMP, &family));
	SHOW("catch", nfexp_catch(h));
	flush_lines("  ");

	printf("== errors\n");
	SHOW("query update", nfexp_query(h, NFCT_Q_UPDATE, &family));
	SHOW("query dump reset", nfexp_query(h, NFCT_Q_DUMP_RESET, &family));
	SHOW("query 42", nfexp_query(h, 42, &family));
	exp = expectation(1999, 3000);
	SHOW("create for a missing master", nfexp_query(h, NFCT_Q_CREATE, exp));
	nfexp_destroy(exp);

	printf("== flush\n");
	SHOW("flush", nfexp_query(h, NFCT_Q_FLUSH, &family));
	dump(h, "dump after flush");
	SHOW("catch flush events", nfexp_catch(ev));
	flush_lines("  event ");

	/* The original (1.0.9) asserts a non-NULL subsystem handle. */
	printf("== deprecated builders\n");
	exp = expectation(1000, 3000);
	r = nfexp_build_query((void *)buf, NFCT_Q_GET, exp, buf, sizeof(buf));
	printf("nfexp_build_query get = %d\n", r);
	hex("  bytes", buf, ((struct nlmsghdr *)buf)->nlmsg_len);
	r = nfexp_build_query((void *)buf, NFCT_Q_FLUSH, &family, buf, sizeof(buf));
	printf("nfexp_build_query flush = %d\n", r);
	hex("  bytes", buf, ((struct nlmsghdr *)buf)->nlmsg_len);
	errno = 0;
	r = nfexp_build_query((void *)buf, NFCT_Q_DUMP_FILTER, &family, buf, sizeof(buf));
	printf("nfexp_build_query dump filter = %d errno=%d\n", r, errno);
	r = nfexp_build_expect((void *)buf, buf, sizeof(buf), IPCTNL_MSG_EXP_NEW,
			       NLM_F_REQUEST | NLM_F_CREATE, exp);
	printf("nfexp_build_expect = %d\n", r);
	hex("  bytes", buf, ((struct nlmsghdr *)buf)->nlmsg_len);
	{
		struct nf_expect *p = nfexp_new();
		char t[512];
		((struct nlmsghdr *)buf)->nlmsg_type = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_DELETE;
		printf("nfexp_parse_expect destroy = %d\n", nfexp_parse_expect(NFCT_T_ALL, (void *)buf, p));
		printf("nfexp_parse_expect new only = %d\n", nfexp_parse_expect(NFCT_T_NEW, (void *)buf, p));
		exp_text(t, sizeof(t), p, NFCT_T_UNKNOWN);
		printf("  parsed: %s\n", t);
		nfexp_destroy(p);
	}
	nfexp_destroy(exp);
	exp = nfexp_new();
	memset(buf, 0x55, sizeof(buf));
	r = nfexp_build_query((void *)buf, NFCT_Q_CREATE, exp, buf, sizeof(buf));
	printf("nfexp_build_query without family = %d, first bytes %02x%02x\n", r,
	       (unsigned char)buf[0], (unsigned char)buf[1]);
	nfexp_destroy(exp);

	SHOW("close", nfct_close(ev));
	SHOW("close", nfct_close(h));
	return 0;
}
