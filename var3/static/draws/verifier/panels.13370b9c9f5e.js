// Panels of people, from the bundle (docs/draw-protocol.md, section 4, "Panels of people").
//
// Every check of checks.js runs on the list returned here. In format
// tirage-lottery-bundle/1 the bundle lists the panels of people themselves.
// A later format that lists panels of *types* with a published rule to assign
// people to them adds its derivation here, and nothing else changes.

import { BUNDLE_FORMAT } from "./protocol.js";

/** Formats of bundle this verifier reads. */
export const KNOWN_BUNDLE_FORMATS = [BUNDLE_FORMAT];

/** The m panels of people of a structurally valid bundle: a list of lists of ids.
 * Throws ProtocolError (French) when they cannot be derived. */
export function peoplePanels(bundle) {
  return bundle.panels;
}
