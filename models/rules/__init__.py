"""Pure business rules: functions of their inputs and a given date; no clock, no I/O."""
