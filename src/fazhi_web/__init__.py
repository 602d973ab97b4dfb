"""The Fazhi web platform: the yearly report cycle from obligation to publication."""
