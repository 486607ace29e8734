"""The CIN census as plain Python: its tables (census.py), reading (parse.py) and writing (write.py) its XML,
and its validation rules in yearly packs (engine.py, packs.py, cin20XX_YY/). No Django here."""
