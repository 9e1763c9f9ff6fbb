/*
 * pulse_shm: N-API binding of the shared-memory writer (shm_writer.c). node_api.h only, at
 * NAPI_VERSION 8, so one build loads in Node and in Electron. Records are copied from a JS
 * typed array (the engine's SAB ring slots) with one call each: Electron's V8 sandbox forbids
 * external ArrayBuffers, so the mapping is never exposed to JS.
 */
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shm_writer.h"

#define CHECK(env, call)                                        \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      const napi_extended_error_info *info_;                    \
      napi_get_last_error_info((env), &info_);                  \
      napi_throw_error((env), "EPULSESHM", info_ && info_->error_message ? info_->error_message : #call); \
      return NULL;                                              \
    }                                                           \
  } while (0)

static napi_value throw_error(napi_env env, const char *msg) {
  napi_throw_error(env, "EPULSESHM", msg);
  return NULL;
}

static shm_writer *this_writer(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  void *ptr = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok || napi_unwrap(env, self, &ptr) != napi_ok || !ptr) {
    throw_error(env, "pulse_shm: not a Writer");
    return NULL;
  }
  shm_writer *w = ptr;
  if (!w->open) {
    throw_error(env, "pulse_shm: the writer is closed");
    return NULL;
  }
  return w;
}

static uint32_t opt_u32(napi_env env, napi_value obj, const char *key, uint32_t fallback) {
  bool has = false;
  napi_value v;
  uint32_t out = fallback;
  if (napi_has_named_property(env, obj, key, &has) == napi_ok && has && napi_get_named_property(env, obj, key, &v) == napi_ok) {
    napi_valuetype t;
    if (napi_typeof(env, v, &t) == napi_ok && t == napi_number) napi_get_value_uint32(env, v, &out);
  }
  return out;
}

/* A string property copied into buf (empty when absent). */
static void opt_str(napi_env env, napi_value obj, const char *key, char *buf, size_t cap) {
  napi_value v;
  size_t len = 0;
  buf[0] = 0;
  if (napi_get_named_property(env, obj, key, &v) == napi_ok) napi_get_value_string_utf8(env, v, buf, cap, &len);
}

static double opt_f64(napi_env env, napi_value obj, const char *key) {
  napi_value v;
  double out = 0;
  if (napi_get_named_property(env, obj, key, &v) == napi_ok) napi_get_value_double(env, v, &out);
  return out;
}

static void finalize_writer(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  shm_writer *w = data;
  shm_writer_close(w, 1);
  free(w);
}

/* new Writer(path, {bookSlots, tradeSlots, readerSlots, instrumentSlots, heartbeatMs, staleAfterMs, name}) */
static napi_value writer_new(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], self;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  char path[SHM_PATH_MAX];
  size_t len = 0;
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok)
    return throw_error(env, "pulse_shm: new Writer(path, options)");
  char name[64];
  opt_str(env, argv[1], "name", name, sizeof name);
  shm_options o = {
      .book_slots = opt_u32(env, argv[1], "bookSlots", 1u << 14),
      .trade_slots = opt_u32(env, argv[1], "tradeSlots", 1u << 12),
      .reader_slots = opt_u32(env, argv[1], "readerSlots", 16),
      .dir_capacity = opt_u32(env, argv[1], "instrumentSlots", 1024),
      .heartbeat_ms = opt_u32(env, argv[1], "heartbeatMs", 100),
      .stale_after_ms = opt_u32(env, argv[1], "staleAfterMs", 2000),
      .writer_name = name,
  };
  shm_writer *w = calloc(1, sizeof *w);
  if (!w) return throw_error(env, "pulse_shm: out of memory");
  char err[512];
  if (shm_writer_open(w, path, &o, err, sizeof err) != 0) {
    free(w);
    return throw_error(env, err);
  }
  if (napi_wrap(env, self, w, finalize_writer, NULL, NULL) != napi_ok) {
    shm_writer_close(w, 1);
    free(w);
    return throw_error(env, "pulse_shm: wrap failed");
  }
  return self;
}

static napi_value put(napi_env env, napi_callback_info info, int book) {
  size_t argc = 2;
  napi_value argv[2];
  shm_writer *w = this_writer(env, info, &argc, argv);
  if (!w) return NULL;
  napi_typedarray_type type;
  size_t length;
  void *data;
  uint32_t off;
  if (argc < 2 || napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array ||
      napi_get_value_uint32(env, argv[1], &off) != napi_ok)
    return throw_error(env, "pulse_shm: write(Uint8Array, byteOffset)");
  shm_ring *r = book ? &w->book : &w->trade;
  if ((size_t)off + r->record_bytes > length) return throw_error(env, "pulse_shm: record lies outside the array");
  shm_ring_put(r, (const uint8_t *)data + off);
  return NULL;
}

static napi_value writer_write_book(napi_env env, napi_callback_info info) { return put(env, info, 1); }
static napi_value writer_write_trade(napi_env env, napi_callback_info info) { return put(env, info, 0); }

static napi_value writer_heartbeat(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  shm_writer *w = this_writer(env, info, &argc, NULL);
  if (w) shm_heartbeat(w);
  return NULL;
}

static napi_value number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

static void set_num(napi_env env, napi_value obj, const char *key, double v) { napi_set_named_property(env, obj, key, number(env, v)); }

static void set_str(napi_env env, napi_value obj, const char *key, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, key, v);
}

/* setInstruments([{venueId, symbolId, venue, symbol, tickSize, lotSize, tickText, lotText, priceDecimals, sizeDecimals, venueState}]) */
static napi_value writer_set_instruments(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  shm_writer *w = this_writer(env, info, &argc, argv);
  if (!w) return NULL;
  uint32_t n = 0;
  bool is_array = false;
  if (argc < 1 || napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) return throw_error(env, "pulse_shm: setInstruments(array)");
  CHECK(env, napi_get_array_length(env, argv[0], &n));
  if (n > w->dir_capacity) n = w->dir_capacity;
  shm_instrument *list = calloc(n ? n : 1, sizeof *list);
  char(*texts)[4][33] = calloc(n ? n : 1, sizeof *texts);
  if (!list || !texts) {
    free(list);
    free(texts);
    return throw_error(env, "pulse_shm: out of memory");
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    if (napi_get_element(env, argv[0], i, &e) != napi_ok) continue;
    shm_instrument *in = &list[i];
    in->venue_id = (uint8_t)opt_u32(env, e, "venueId", 0);
    in->symbol_id = (uint16_t)opt_u32(env, e, "symbolId", 0);
    in->venue_state = (uint8_t)opt_u32(env, e, "venueState", 0);
    in->price_decimals = (uint8_t)opt_u32(env, e, "priceDecimals", 0);
    in->size_decimals = (uint8_t)opt_u32(env, e, "sizeDecimals", 0);
    in->tick_size = opt_f64(env, e, "tickSize");
    in->lot_size = opt_f64(env, e, "lotSize");
    opt_str(env, e, "venue", texts[i][0], 33);
    opt_str(env, e, "symbol", texts[i][1], 33);
    opt_str(env, e, "tickText", texts[i][2], 21);
    opt_str(env, e, "lotText", texts[i][3], 21);
    in->venue = texts[i][0];
    in->symbol = texts[i][1];
    in->tick_text = texts[i][2];
    in->lot_text = texts[i][3];
  }
  uint32_t written = shm_set_instruments(w, list, n);
  free(list);
  free(texts);
  return number(env, written);
}

static napi_value writer_pending_snapshots(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  shm_writer *w = this_writer(env, info, &argc, NULL);
  return w ? number(env, shm_pending_snapshots(w)) : NULL;
}

static napi_value writer_snapshots_served(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  shm_writer *w = this_writer(env, info, &argc, argv);
  if (!w) return NULL;
  double records = 0;
  if (argc >= 1) napi_get_value_double(env, argv[0], &records);
  shm_snapshots_served(w, (uint64_t)records);
  return NULL;
}

/* {book, trade, bookBacklog, tradeBacklog, fileBytes}: sequences as numbers (exact below 2^53) */
static napi_value writer_counters(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  shm_writer *w = this_writer(env, info, &argc, NULL);
  if (!w) return NULL;
  napi_value out;
  CHECK(env, napi_create_object(env, &out));
  set_num(env, out, "book", (double)w->book.next);
  set_num(env, out, "trade", (double)w->trade.next);
  set_num(env, out, "bookBacklog", (double)shm_book_backlog(w));
  set_num(env, out, "tradeBacklog", (double)shm_trade_backlog(w));
  set_num(env, out, "fileBytes", (double)w->size);
  return out;
}

static napi_value writer_book_backlog(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  shm_writer *w = this_writer(env, info, &argc, NULL);
  return w ? number(env, (double)shm_book_backlog(w)) : NULL;
}

static napi_value writer_readers(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  shm_writer *w = this_writer(env, info, &argc, NULL);
  if (!w) return NULL;
  shm_reader_info list[SHM_MAX_READER_SLOTS];
  uint32_t n = shm_readers(w, list, SHM_MAX_READER_SLOTS);
  uint64_t now = shm_mono_ns();
  napi_value out;
  CHECK(env, napi_create_array_with_length(env, n, &out));
  for (uint32_t i = 0; i < n; i++) {
    shm_reader_info *r = &list[i];
    napi_value o;
    CHECK(env, napi_create_object(env, &o));
    set_num(env, o, "slot", r->slot);
    set_str(env, o, "state", r->state == 1 ? "active" : r->state == 2 ? "detached" : "unknown");
    set_num(env, o, "pid", r->pid);
    napi_value alive;
    napi_get_boolean(env, r->alive == 1, &alive);
    napi_set_named_property(env, o, "alive", alive);
    set_str(env, o, "name", r->name);
    set_num(env, o, "bookSeq", (double)r->book_seq);
    set_num(env, o, "tradeSeq", (double)r->trade_seq);
    set_num(env, o, "bookLag", w->book.next > r->book_seq ? (double)(w->book.next - r->book_seq) : 0);
    set_num(env, o, "tradeLag", w->trade.next > r->trade_seq ? (double)(w->trade.next - r->trade_seq) : 0);
    set_num(env, o, "heartbeatAgeMs", r->heartbeat_ns && now > r->heartbeat_ns ? (double)(now - r->heartbeat_ns) / 1e6 : 0);
    set_num(env, o, "overruns", (double)r->overruns);
    set_num(env, o, "snapshotRequests", r->snap_request);
    set_num(env, o, "snapshotsServed", r->snap_served);
    napi_set_element(env, out, i, o);
  }
  return out;
}

static napi_value writer_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  void *ptr = NULL;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  if (napi_unwrap(env, self, &ptr) != napi_ok || !ptr) return throw_error(env, "pulse_shm: not a Writer");
  bool unlink_file = true;
  if (argc >= 1) napi_get_value_bool(env, argv[0], &unlink_file);
  shm_writer_close(ptr, unlink_file);
  return NULL;
}

static napi_value mono_ns(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_bigint_uint64(env, shm_mono_ns(), &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"writeBook", NULL, writer_write_book, NULL, NULL, NULL, napi_default, NULL},
      {"writeTrade", NULL, writer_write_trade, NULL, NULL, NULL, napi_default, NULL},
      {"heartbeat", NULL, writer_heartbeat, NULL, NULL, NULL, napi_default, NULL},
      {"setInstruments", NULL, writer_set_instruments, NULL, NULL, NULL, napi_default, NULL},
      {"pendingSnapshots", NULL, writer_pending_snapshots, NULL, NULL, NULL, napi_default, NULL},
      {"snapshotsServed", NULL, writer_snapshots_served, NULL, NULL, NULL, napi_default, NULL},
      {"counters", NULL, writer_counters, NULL, NULL, NULL, napi_default, NULL},
      {"bookBacklog", NULL, writer_book_backlog, NULL, NULL, NULL, napi_default, NULL},
      {"readers", NULL, writer_readers, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, writer_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value cls, fn, version;
  if (napi_define_class(env, "Writer", NAPI_AUTO_LENGTH, writer_new, NULL, sizeof methods / sizeof methods[0], methods, &cls) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "Writer", cls);
  napi_create_function(env, "monoNs", NAPI_AUTO_LENGTH, mono_ns, NULL, &fn);
  napi_set_named_property(env, exports, "monoNs", fn);
  napi_create_uint32(env, SHM_LAYOUT_VERSION, &version);
  napi_set_named_property(env, exports, "layoutVersion", version);
  return exports;
}
