"""The pure workflow core: no Django import anywhere below this package."""
