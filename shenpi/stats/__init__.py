"""统计分析: the departments' figures from rollups kept as cases change."""
