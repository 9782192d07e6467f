// Last step of `npm run build`: records the hash of the sources dist/ was built from.
import { writeBuildInfo } from "../dist/src/run/build-info.js";
import { ROOT } from "../dist/src/paths.js";

writeBuildInfo(ROOT);
