"""Rule data and helpers of the policy-event stage (triggers, argument particles, dates)."""
