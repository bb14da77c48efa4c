"""Pure domain logic: models, money arithmetic, tax IDs, rules. No Qt, no I/O, no clock."""
