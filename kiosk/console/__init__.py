"""The staff console's logic (Qt-free): the controller the console window talks to, its factory, form checks, doctor."""
