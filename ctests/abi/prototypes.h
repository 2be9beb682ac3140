/* The function type of each of the 105 exports as upstream 1.1.1 declares
 * it (top-level const on parameters dropped: it is not part of the type).
 * Each entry is PROTO(name, type); t-abi-compile.sh expands the list into
 * C and C++ checks that our header declares every function with exactly
 * this type. Callback parameter types are spelled through the typedefs
 * below.
 */
#ifndef ABI_PROTOTYPES_H
#define ABI_PROTOTYPES_H

typedef int (*abi_ct_cb)(enum nf_conntrack_msg_type, struct nf_conntrack *, void *);
typedef int (*abi_ct_cb2)(const struct nlmsghdr *, enum nf_conntrack_msg_type,
			  struct nf_conntrack *, void *);
typedef int (*abi_exp_cb)(enum nf_conntrack_msg_type, struct nf_expect *, void *);
typedef int (*abi_exp_cb2)(const struct nlmsghdr *, enum nf_conntrack_msg_type,
			   struct nf_expect *, void *);

#define ABI_PROTOTYPES \
PROTO(nfct_open, struct nfct_handle *(uint8_t, unsigned int)) \
PROTO(nfct_open_nfnl, struct nfct_handle *(struct nfnl_handle *, uint8_t, unsigned int)) \
PROTO(nfct_close, int (struct nfct_handle *)) \
PROTO(nfct_fd, int (struct nfct_handle *)) \
PROTO(nfct_nfnlh, const struct nfnl_handle *(struct nfct_handle *)) \
PROTO(nfct_new, struct nf_conntrack *(void)) \
PROTO(nfct_destroy, void (struct nf_conntrack *)) \
PROTO(nfct_clone, struct nf_conntrack *(const struct nf_conntrack *)) \
PROTO(nfct_sizeof, size_t (const struct nf_conntrack *)) \
PROTO(nfct_maxsize, size_t (void)) \
PROTO(nfct_setobjopt, int (struct nf_conntrack *, unsigned int)) \
PROTO(nfct_getobjopt, int (const struct nf_conntrack *, unsigned int)) \
PROTO(nfct_callback_register, int (struct nfct_handle *, enum nf_conntrack_msg_type, abi_ct_cb, void *)) \
PROTO(nfct_callback_unregister, void (struct nfct_handle *)) \
PROTO(nfct_callback_register2, int (struct nfct_handle *, enum nf_conntrack_msg_type, abi_ct_cb2, void *)) \
PROTO(nfct_callback_unregister2, void (struct nfct_handle *)) \
PROTO(nfct_bitmask_new, struct nfct_bitmask *(unsigned int)) \
PROTO(nfct_bitmask_clone, struct nfct_bitmask *(const struct nfct_bitmask *)) \
PROTO(nfct_bitmask_maxbit, unsigned int (const struct nfct_bitmask *)) \
PROTO(nfct_bitmask_set_bit, void (struct nfct_bitmask *, unsigned int)) \
PROTO(nfct_bitmask_test_bit, int (const struct nfct_bitmask *, unsigned int)) \
PROTO(nfct_bitmask_unset_bit, void (struct nfct_bitmask *, unsigned int)) \
PROTO(nfct_bitmask_destroy, void (struct nfct_bitmask *)) \
PROTO(nfct_bitmask_clear, void (struct nfct_bitmask *)) \
PROTO(nfct_bitmask_equal, bool (const struct nfct_bitmask *, const struct nfct_bitmask *)) \
PROTO(nfct_labels_get_path, const char *(void)) \
PROTO(nfct_labelmap_new, struct nfct_labelmap *(const char *)) \
PROTO(nfct_labelmap_destroy, void (struct nfct_labelmap *)) \
PROTO(nfct_labelmap_get_name, const char *(struct nfct_labelmap *, unsigned int)) \
PROTO(nfct_labelmap_get_bit, int (struct nfct_labelmap *, const char *)) \
PROTO(nfct_set_attr, void (struct nf_conntrack *, enum nf_conntrack_attr, const void *)) \
PROTO(nfct_set_attr_u8, void (struct nf_conntrack *, enum nf_conntrack_attr, uint8_t)) \
PROTO(nfct_set_attr_u16, void (struct nf_conntrack *, enum nf_conntrack_attr, uint16_t)) \
PROTO(nfct_set_attr_u32, void (struct nf_conntrack *, enum nf_conntrack_attr, uint32_t)) \
PROTO(nfct_set_attr_u64, void (struct nf_conntrack *, enum nf_conntrack_attr, uint64_t)) \
PROTO(nfct_set_attr_l, void (struct nf_conntrack *, enum nf_conntrack_attr, const void *, size_t)) \
PROTO(nfct_get_attr, const void *(const struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_get_attr_u8, uint8_t (const struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_get_attr_u16, uint16_t (const struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_get_attr_u32, uint32_t (const struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_get_attr_u64, uint64_t (const struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_attr_is_set, int (const struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_attr_is_set_array, int (const struct nf_conntrack *, const enum nf_conntrack_attr *, int)) \
PROTO(nfct_attr_unset, int (struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_set_attr_grp, void (struct nf_conntrack *, enum nf_conntrack_attr_grp, const void *)) \
PROTO(nfct_get_attr_grp, int (const struct nf_conntrack *, enum nf_conntrack_attr_grp, void *)) \
PROTO(nfct_attr_grp_is_set, int (const struct nf_conntrack *, enum nf_conntrack_attr_grp)) \
PROTO(nfct_attr_grp_unset, int (struct nf_conntrack *, enum nf_conntrack_attr_grp)) \
PROTO(nfct_snprintf, int (char *, unsigned int, const struct nf_conntrack *, unsigned int, unsigned int, unsigned int)) \
PROTO(nfct_snprintf_labels, int (char *, unsigned int, const struct nf_conntrack *, unsigned int, unsigned int, unsigned int, struct nfct_labelmap *)) \
PROTO(nfct_compare, int (const struct nf_conntrack *, const struct nf_conntrack *)) \
PROTO(nfct_cmp, int (const struct nf_conntrack *, const struct nf_conntrack *, unsigned int)) \
PROTO(nfct_query, int (struct nfct_handle *, enum nf_conntrack_query, const void *)) \
PROTO(nfct_send, int (struct nfct_handle *, enum nf_conntrack_query, const void *)) \
PROTO(nfct_catch, int (struct nfct_handle *)) \
PROTO(nfct_copy, void (struct nf_conntrack *, const struct nf_conntrack *, unsigned int)) \
PROTO(nfct_copy_attr, void (struct nf_conntrack *, const struct nf_conntrack *, enum nf_conntrack_attr)) \
PROTO(nfct_filter_create, struct nfct_filter *(void)) \
PROTO(nfct_filter_destroy, void (struct nfct_filter *)) \
PROTO(nfct_filter_add_attr, void (struct nfct_filter *, enum nfct_filter_attr, const void *)) \
PROTO(nfct_filter_add_attr_u32, void (struct nfct_filter *, enum nfct_filter_attr, uint32_t)) \
PROTO(nfct_filter_set_logic, int (struct nfct_filter *, enum nfct_filter_attr, enum nfct_filter_logic)) \
PROTO(nfct_filter_attach, int (int, struct nfct_filter *)) \
PROTO(nfct_filter_detach, int (int)) \
PROTO(nfct_filter_dump_create, struct nfct_filter_dump *(void)) \
PROTO(nfct_filter_dump_destroy, void (struct nfct_filter_dump *)) \
PROTO(nfct_filter_dump_set_attr, void (struct nfct_filter_dump *, enum nfct_filter_dump_attr, const void *)) \
PROTO(nfct_filter_dump_set_attr_u8, void (struct nfct_filter_dump *, enum nfct_filter_dump_attr, uint8_t)) \
PROTO(nfct_filter_dump_set_attr_u16, void (struct nfct_filter_dump *, enum nfct_filter_dump_attr, uint16_t)) \
PROTO(nfct_build_conntrack, int (struct nfnl_subsys_handle *, void *, size_t, uint16_t, uint16_t, const struct nf_conntrack *)) \
PROTO(nfct_parse_conntrack, int (enum nf_conntrack_msg_type, const struct nlmsghdr *, struct nf_conntrack *)) \
PROTO(nfct_build_query, int (struct nfnl_subsys_handle *, enum nf_conntrack_query, const void *, void *, unsigned int)) \
PROTO(nfct_nlmsg_build, int (struct nlmsghdr *, const struct nf_conntrack *)) \
PROTO(nfct_nlmsg_build_filter, int (struct nlmsghdr *, const struct nfct_filter_dump *)) \
PROTO(nfct_nlmsg_parse, int (const struct nlmsghdr *, struct nf_conntrack *)) \
PROTO(nfct_payload_parse, int (const void *, size_t, uint16_t, struct nf_conntrack *)) \
PROTO(nfexp_new, struct nf_expect *(void)) \
PROTO(nfexp_destroy, void (struct nf_expect *)) \
PROTO(nfexp_clone, struct nf_expect *(const struct nf_expect *)) \
PROTO(nfexp_sizeof, size_t (const struct nf_expect *)) \
PROTO(nfexp_maxsize, size_t (void)) \
PROTO(nfexp_callback_register, int (struct nfct_handle *, enum nf_conntrack_msg_type, abi_exp_cb, void *)) \
PROTO(nfexp_callback_unregister, void (struct nfct_handle *)) \
PROTO(nfexp_callback_register2, int (struct nfct_handle *, enum nf_conntrack_msg_type, abi_exp_cb2, void *)) \
PROTO(nfexp_callback_unregister2, void (struct nfct_handle *)) \
PROTO(nfexp_set_attr, void (struct nf_expect *, enum nf_expect_attr, const void *)) \
PROTO(nfexp_set_attr_u8, void (struct nf_expect *, enum nf_expect_attr, uint8_t)) \
PROTO(nfexp_set_attr_u16, void (struct nf_expect *, enum nf_expect_attr, uint16_t)) \
PROTO(nfexp_set_attr_u32, void (struct nf_expect *, enum nf_expect_attr, uint32_t)) \
PROTO(nfexp_get_attr, const void *(const struct nf_expect *, enum nf_expect_attr)) \
PROTO(nfexp_get_attr_u8, uint8_t (const struct nf_expect *, enum nf_expect_attr)) \
PROTO(nfexp_get_attr_u16, uint16_t (const struct nf_expect *, enum nf_expect_attr)) \
PROTO(nfexp_get_attr_u32, uint32_t (const struct nf_expect *, enum nf_expect_attr)) \
PROTO(nfexp_attr_is_set, int (const struct nf_expect *, enum nf_expect_attr)) \
PROTO(nfexp_attr_unset, int (struct nf_expect *, enum nf_expect_attr)) \
PROTO(nfexp_query, int (struct nfct_handle *, enum nf_conntrack_query, const void *)) \
PROTO(nfexp_snprintf, int (char *, unsigned int, const struct nf_expect *, unsigned int, unsigned int, unsigned int)) \
PROTO(nfexp_cmp, int (const struct nf_expect *, const struct nf_expect *, unsigned int)) \
PROTO(nfexp_send, int (struct nfct_handle *, enum nf_conntrack_query, const void *)) \
PROTO(nfexp_catch, int (struct nfct_handle *)) \
PROTO(nfexp_build_expect, int (struct nfnl_subsys_handle *, void *, size_t, uint16_t, uint16_t, const struct nf_expect *)) \
PROTO(nfexp_parse_expect, int (enum nf_conntrack_msg_type, const struct nlmsghdr *, struct nf_expect *)) \
PROTO(nfexp_build_query, int (struct nfnl_subsys_handle *, enum nf_conntrack_query, const void *, void *, unsigned int)) \
PROTO(nfexp_nlmsg_build, int (struct nlmsghdr *, const struct nf_expect *)) \
PROTO(nfexp_nlmsg_parse, int (const struct nlmsghdr *, struct nf_expect *))

#endif
