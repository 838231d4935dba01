"""Text engines shared by the pre-publish review and the inspector (inspection-rules.md §7 T1–T6, P1–P6)."""
