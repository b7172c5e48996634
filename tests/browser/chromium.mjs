// Headless Debian Chromium through playwright-core (never a downloaded browser). The flags keep
// it off the network this machine does not have and let it run as root; V8's --expose-gc gives
// the memory cases their `gc()`.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--js-flags=--expose-gc",
];

export const launchChromium = () =>
  chromium.launch({ executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
