{
  "targets": [
    {
      "target_name": "pulse_shm",
      "sources": ["src/pulse_shm.c", "src/shm_writer.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-std=gnu11", "-O2", "-Wall"],
        "MACOSX_DEPLOYMENT_TARGET": "10.15"
      }
    }
  ]
}
