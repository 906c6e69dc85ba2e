"""The demo programme's data, as pure Python: which cities, and synthetic answers calibrated to the
shares the OECD published. The Django loader (``civicmeter.web.programmes.demo``) stores them."""
