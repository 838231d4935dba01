"""分级审核 and 保密审查 on Wagtail workflows, with the pre-publish check runner (DESIGN §2 item 3)."""
