// electron-builder config (found by name: `npx electron-builder` needs no --config). JavaScript, not
// YAML, so the per-platform onnxruntime exclusions are written once and the tests can require() it.
// What ships where, signing and the CI checks: README "Packaging" and build/README.md.

const ORT = 'node_modules/onnxruntime-node/bin/napi-v6';

// Only what runs: the bundles, package.json ("main": out/main/index.js) and the native addon.
// electron-builder adds the production dependencies itself; devDependencies never ship.
// parquet-wasm ships its 5 MB module three times (node, esm, bundler); `pulse export` loads the node one.
const APP_FILES = ['out/**', 'package.json', 'native/build/Release/*.node', '!**/*.{map,d.mts,d.cts}', '!node_modules/parquet-wasm/{esm,bundler}/**'];

/**
 * The app's files for one platform, without onnxruntime-node's binaries for the other platforms
 * and the other archs. A platform's `files` replaces the top-level list, so each repeats APP_FILES.
 */
const filesFor = (keep) => [
  ...APP_FILES,
  ...['darwin', 'linux', 'win32'].filter((p) => p !== keep).map((p) => `!${ORT}/${p}/**`),
  `!${ORT}/${keep}/!(\${arch})/**`,
];

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'io.pulse.terminal',
  productName: 'Pulse',
  copyright: 'Copyright © Pulse',
  directories: { buildResources: 'build', output: 'dist' },
  files: APP_FILES,
  // Native code cannot be dlopen()ed from inside an archive: Electron reads these from app.asar.unpacked.
  asarUnpack: [`${ORT}/**`, 'native/build/Release/*.node'],
  // The engine resolves `resources/models/x.onnx` to <resourcesPath>/models/x.onnx when packaged.
  extraResources: [{ from: 'resources/models', to: 'models', filter: ['*.onnx'] }],
  // N-API addons are ABI-stable across Node and Electron: nothing to rebuild, no headers to download.
  npmRebuild: false,
  publish: null,
  // Electron names its Linux window class after desktopName; the .desktop file must match it.
  extraMetadata: { desktopName: 'pulse-terminal.desktop' },
  // Flipped by electron-builder right before signing (its bundled @electron/fuses).
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The UI is served on app://, never file://.
    grantFileProtocolExtraPrivileges: false,
    // Flipping fuses breaks Electron's ad-hoc signature, which arm64 Macs refuse to run when no
    // Developer ID re-signs the app. Needs `codesign`, hence macOS hosts only.
    resetAdHocDarwinSignature: process.platform === 'darwin',
  },

  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'pulse-terminal',
    icon: 'build/icon.png',
    category: 'Office;Finance',
    synopsis: 'Trading terminal with exact L2 books',
    description: 'Pulse: a desktop trading terminal with exact L2 books, a ladder and charts fed by binary deltas.',
    maintainer: 'Pulse maintainers <pulse@example.invalid>',
    vendor: 'Pulse',
    syncDesktopName: true,
    desktop: { entry: { Keywords: 'trading;order book;market data;crypto;forex;' } },
    files: filesFor('linux'),
  },
  deb: { packageName: 'pulse-terminal', priority: 'optional' },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },

  mac: {
    // onnxruntime-node 1.30 ships darwin/arm64 only, built for macOS 14 (LC_BUILD_VERSION minos).
    target: [{ target: 'dmg', arch: ['arm64'] }],
    minimumSystemVersion: '14.0',
    category: 'public.app-category.finance',
    icon: 'build/icon.icns',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    darkModeSupport: true,
    files: filesFor('darwin'),
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },

  win: {
    target: ['nsis'],
    icon: 'build/icon.ico',
    files: filesFor('win32'),
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    deleteAppDataOnUninstall: false,
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
  },
};
