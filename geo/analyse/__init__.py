"""The analyses: overlaps (tumpang tindih), authority (kewenangan), coverage gaps
(kesenjangan), and the run over a selection of the store."""
