"""Career tests as data: instruments (items, keys, interpretation), scoring, the professions catalogue and
the region's in-demand list. No storage and no messenger here: the ``career`` flow and the CLI use it."""
