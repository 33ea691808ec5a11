"""«Колледжи и техникумы»: the region's colleges and their specialties, a catalogue operators keep.

``models`` the records, ``catalogue`` reading an operator's YAML file (every problem listed, nothing
imported while there are any), ``demo`` the illustrative catalogue shipped with the product.
"""
