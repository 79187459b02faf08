// glibc's malloc tunables for the engine (issue 18, idle RSS; README, Performance): Node has no
// binding for mallopt() or malloc_trim(). Node-API only (ABI-stable), so one build loads in Node
// and in Electron. Built at install by scripts/build-native.mjs on glibc Linux; anywhere else the
// engine runs without it (src-proxy/memory/glibc-malloc.ts).
#include <malloc.h>
#include <node_api.h>

// setThresholds(trimBytes, mmapBytes) -> true when glibc took both. Fixing either also stops
// glibc's dynamic raise of both (mallopt(3)).
static napi_value set_thresholds(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int64_t trim = 0, mmap = 0;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int64(env, argv[0], &trim) != napi_ok ||
      napi_get_value_int64(env, argv[1], &mmap) != napi_ok || trim <= 0 || mmap <= 0 ||
      trim > 0x7fffffff || mmap > 0x7fffffff) {
    napi_throw_type_error(env, NULL, "setThresholds(trimBytes, mmapBytes): two positive byte counts");
    return NULL;
  }
  int ok = mallopt(M_MMAP_THRESHOLD, (int) mmap) == 1 && mallopt(M_TRIM_THRESHOLD, (int) trim) == 1;
  napi_get_boolean(env, ok, &result);
  return result;
}

// trim() -> true when glibc gave memory back to the system (malloc_trim(0)).
static napi_value trim(napi_env env, napi_callback_info info) {
  napi_value result;
  (void) info;
  napi_get_boolean(env, malloc_trim(0) == 1, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "setThresholds", NAPI_AUTO_LENGTH, set_thresholds, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "setThresholds", fn) != napi_ok ||
      napi_create_function(env, "trim", NAPI_AUTO_LENGTH, trim, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "trim", fn) != napi_ok) {
    return NULL;
  }
  return exports;
}
