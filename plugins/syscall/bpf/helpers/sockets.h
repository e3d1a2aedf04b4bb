/* sockets.h: socket addresses in the scap encodings.
 *   PT_SOCKADDR: family u8, then IPv4 addr u32 + port u16 | IPv6 addr[16] + port u16 |
 *                unix path (NUL-terminated).
 *   PT_SOCKTUPLE: family u8, then IPv4 src u32, sport u16, dst u32, dport u16 | the IPv6
 *                 equivalent | unix: source u64, dest u64 (kernel socket addresses), path.
 * Addresses stay in network order, ports are host order, as the format stores them. */
#ifndef SAKER_BPF_SOCKETS_H
#define SAKER_BPF_SOCKETS_H

#include "task.h"

#define SAKER_AF_UNIX 1
#define SAKER_AF_INET 2
#define SAKER_AF_INET6 10
#define SAKER_UNIX_PATH_MAX 108

static __always_inline __u16 sockets__ntohs(__u16 v) { return (v >> 8) | (v << 8); }

/* A unix socket name into `dst`, NUL-terminated; returns the bytes written. `sun_path` has
 * `len` bytes (the sockaddr length without the family), in user or kernel memory. An
 * abstract name (a NUL first byte, then `len - 1` bytes, not terminated) is written
 * without its leading NUL, as the scap drivers write it; an unnamed socket is "". */
static __always_inline __u32 sockets__unix_name(__u8 *dst, const char *sun_path, __u32 len,
                                                bool user) {
  char first = 0;
  if (user)
    bpf_probe_read_user(&first, 1, sun_path);
  else
    bpf_probe_read_kernel(&first, 1, sun_path);
  long n = 0;
  if (first != 0) {
    n = user ? bpf_probe_read_user_str(dst, SAKER_UNIX_PATH_MAX, sun_path)
             : bpf_probe_read_kernel_str(dst, SAKER_UNIX_PATH_MAX, sun_path);
  } else if (len > 1) {
    __u32 name_len = len - 1;
    if (name_len > SAKER_UNIX_PATH_MAX - 1) name_len = SAKER_UNIX_PATH_MAX - 1;
    __u32 size = (name_len + 1) & 0x7f; /* the name and a NUL, within the 108 bytes */
    if (size < 2) size = 2;
    n = user ? bpf_probe_read_user_str(dst, size, sun_path + 1)
             : bpf_probe_read_kernel_str(dst, size, sun_path + 1);
  }
  if (n > 0) return (__u32)n;
  dst[0] = 0;
  return 1;
}

/* A sockaddr from user memory (bind/connect's argument). */
static __always_inline void event__push_user_sockaddr(struct saker_scratch *s, const void *uaddr,
                                                      __u64 ulen) {
  __u64 off = s->pos;
  if (!uaddr || ulen < 2 || off > SAKER_DATA_LIMIT) {
    event__push_empty(s);
    return;
  }
  __u16 family = 0;
  bpf_probe_read_user(&family, 2, uaddr);
  __u8 *dst = &s->data[SAKER_AT(off)];
  if (family == SAKER_AF_INET && ulen >= 8) {
    struct sockaddr_in in = {};
    bpf_probe_read_user(&in, sizeof(in), uaddr);
    dst[0] = SAKER_AF_INET;
    __u16 port = sockets__ntohs(in.sin_port);
    SAKER_PUT(__u32, dst + 1, in.sin_addr.s_addr);
    SAKER_PUT(__u16, dst + 5, port);
    event__commit(s, 7);
  } else if (family == SAKER_AF_INET6 && ulen >= 24) {
    struct sockaddr_in6 in6 = {};
    bpf_probe_read_user(&in6, sizeof(in6), uaddr);
    dst[0] = SAKER_AF_INET6;
    __u16 port = sockets__ntohs(in6.sin6_port);
    SAKER_PUT(__u64, dst + 1, ((const __u64 *)(&in6.sin6_addr))[0]);
    SAKER_PUT(__u64, dst + 9, ((const __u64 *)(&in6.sin6_addr))[1]);
    SAKER_PUT(__u16, dst + 17, port);
    event__commit(s, 19);
  } else if (family == SAKER_AF_UNIX) {
    dst[0] = SAKER_AF_UNIX;
    event__commit(s, 1 + sockets__unix_name(dst + 1, (const char *)uaddr + 2, (__u32)ulen - 2,
                                            true));
  } else {
    dst[0] = (__u8)family;
    event__commit(s, 1);
  }
}

/* The kernel socket behind an open file, or NULL. */
static __always_inline struct sock *sockets__sock_of(struct file *f) {
  struct socket *sock = f ? BPF_CORE_READ(f, private_data) : 0;
  return sock ? BPF_CORE_READ(sock, sk) : 0;
}

/* The tuple of a socket, from the kernel's struct sock. `inbound`: the peer is the source
 * (accept, recvfrom), else the local end is (connect, sendto). An unconnected socket has no
 * remote end in the kernel: then the address the caller gave or received (`uaddr`, `ulen`
 * bytes of user memory; sendto/recvfrom) stands for it, as in the scap drivers. */
static __always_inline void event__push_socktuple_addr(struct saker_scratch *s, struct file *f,
                                                       bool inbound, const void *uaddr,
                                                       __u64 ulen) {
  __u64 off = s->pos;
  if (!f || off > SAKER_DATA_LIMIT) {
    event__push_empty(s);
    return;
  }
  struct sock *sk = sockets__sock_of(f);
  if (!sk) {
    event__push_empty(s);
    return;
  }
  __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
  __u8 *dst = &s->data[SAKER_AT(off)];
  __u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
  __u16 rport = sockets__ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
  if (family == SAKER_AF_INET) {
    __u32 laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
    __u32 raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
    if (raddr == 0 && rport == 0 && uaddr && ulen >= sizeof(struct sockaddr_in)) {
      struct sockaddr_in in = {};
      bpf_probe_read_user(&in, sizeof(in), uaddr);
      if (in.sin_family == SAKER_AF_INET) {
        raddr = in.sin_addr.s_addr;
        rport = sockets__ntohs(in.sin_port);
      }
    }
    dst[0] = SAKER_AF_INET;
    if (inbound) {
      SAKER_PUT(__u32, dst + 1, raddr);
      SAKER_PUT(__u16, dst + 5, rport);
      SAKER_PUT(__u32, dst + 7, laddr);
      SAKER_PUT(__u16, dst + 11, lport);
    } else {
      SAKER_PUT(__u32, dst + 1, laddr);
      SAKER_PUT(__u16, dst + 5, lport);
      SAKER_PUT(__u32, dst + 7, raddr);
      SAKER_PUT(__u16, dst + 11, rport);
    }
    event__commit(s, 13);
  } else if (family == SAKER_AF_INET6) {
    struct in6_addr laddr = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
    struct in6_addr raddr = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
    __u64 rhalf[2];
    __builtin_memcpy(rhalf, &raddr, 16);
    if (!rhalf[0] && !rhalf[1] && rport == 0 && uaddr && ulen >= sizeof(struct sockaddr_in6)) {
      struct sockaddr_in6 in6 = {};
      bpf_probe_read_user(&in6, sizeof(in6), uaddr);
      if (in6.sin6_family == SAKER_AF_INET6) {
        raddr = in6.sin6_addr;
        rport = sockets__ntohs(in6.sin6_port);
      }
    }
    dst[0] = SAKER_AF_INET6;
    if (inbound) {
      SAKER_PUT(__u64, dst + 1, ((const __u64 *)(&raddr))[0]);
      SAKER_PUT(__u64, dst + 9, ((const __u64 *)(&raddr))[1]);
      SAKER_PUT(__u16, dst + 17, rport);
      SAKER_PUT(__u64, dst + 19, ((const __u64 *)(&laddr))[0]);
      SAKER_PUT(__u64, dst + 27, ((const __u64 *)(&laddr))[1]);
      SAKER_PUT(__u16, dst + 35, lport);
    } else {
      SAKER_PUT(__u64, dst + 1, ((const __u64 *)(&laddr))[0]);
      SAKER_PUT(__u64, dst + 9, ((const __u64 *)(&laddr))[1]);
      SAKER_PUT(__u16, dst + 17, lport);
      SAKER_PUT(__u64, dst + 19, ((const __u64 *)(&raddr))[0]);
      SAKER_PUT(__u64, dst + 27, ((const __u64 *)(&raddr))[1]);
      SAKER_PUT(__u16, dst + 35, rport);
    }
    event__commit(s, 37);
  } else if (family == SAKER_AF_UNIX) {
    /* The scap layout for unix sockets: two kernel socket addresses and one name.
     * Outbound (connect, sendto): the peer, then ours, and the peer's name (a connecting
     * socket's peer is the server end, which carries the listening name). Inbound (accept,
     * recvfrom): ours, then the peer, and our name (an accepted socket carries the
     * listening name; its peer, the client, is usually unnamed). */
    struct unix_sock *us = (struct unix_sock *)sk;
    struct sock *peer = BPF_CORE_READ(us, peer);
    __u64 first = inbound ? (__u64)sk : (__u64)peer;
    __u64 second = inbound ? (__u64)peer : (__u64)sk;
    dst[0] = SAKER_AF_UNIX;
    SAKER_PUT(__u64, dst + 1, first);
    SAKER_PUT(__u64, dst + 9, second);
    struct unix_sock *named = inbound ? us : (struct unix_sock *)peer;
    struct unix_address *addr = named ? BPF_CORE_READ(named, addr) : 0;
    __u32 n = 1;
    dst[17] = 0;
    if (addr) {
      /* unix_address.len counts the whole sockaddr_un, family included */
      __u32 alen = BPF_CORE_READ(addr, len);
      const char *sun_path =
          (const char *)addr + bpf_core_field_offset(struct unix_address, name) + 2;
      n = sockets__unix_name(dst + 17, sun_path, alen > 2 ? alen - 2 : 0, false);
    }
    event__commit(s, 17 + n);
  } else {
    event__push_empty(s);
  }
}

static __always_inline void event__push_socktuple(struct saker_scratch *s, struct file *f,
                                                  bool inbound) {
  event__push_socktuple_addr(s, f, inbound, 0, 0);
}

#endif
