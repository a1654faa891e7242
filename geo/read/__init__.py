"""Reading files: any supported project file into canonical records plus an import report,
reference layers (road network, irrigation areas, units), and their safety checks."""
