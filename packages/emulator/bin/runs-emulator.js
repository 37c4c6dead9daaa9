#!/usr/bin/env node
// The `runs-emulator` command: the built CLI (`dist/esm/bin.js`). This file exists before a build, so installing
// the workspace links the command without a warning.
import "../dist/esm/bin.js"
