"""Settings of the browser's HVP variants that hvp_torch does not implement (issue 17), and the
check that refuses a run using any of them. Pure Python (no torch), so it is testable anywhere.

  hvpMode iouPolicy   the manual IoU policy (rejection-sampled view pairs, src/core/hvp/iouPolicy.ts)
  colorStatic         colour-static selection (src/core/hvp/selectionViews.ts)
  selectScale         selection on lower-resolution views (same file)
  iouPolicyStart/End  only read by iouPolicy, so any value is accepted with another mode

A record without these fields (written before they existed) means the defaults, which are accepted.
"""

# The hvpMode values hvp_torch's plan.draw_step implements.
SUPPORTED_HVP_MODES = ("off", "hard", "easy", "random")

# Each variant setting and the value that means "off" (the browser's DEFAULT_CONFIG).
VARIANT_DEFAULTS = {"colorStatic": "off", "selectScale": 1}

_CONTINUE = "Continue this run in the browser or with the Node CLI (npm run cli -- resume)."


def unsupported_variant(config):
    """(message, hint) naming the first setting of `config` hvp_torch cannot continue, or None."""
    mode = config.get("hvpMode", "hard")
    if mode not in SUPPORTED_HVP_MODES:
        return (f"uses hvpMode {mode!r}; hvp_torch continues {', '.join(SUPPORTED_HVP_MODES)} runs "
                f"(the IoU policy's rejection sampling is not ported).", _CONTINUE)
    for key, default in VARIANT_DEFAULTS.items():
        value = config.get(key, default)
        if value != default:
            return (f"uses {key} = {value!r}; hvp_torch implements only {key} = {default!r} "
                    f"(its selection scores the trained views at full size).", _CONTINUE)
    return None
