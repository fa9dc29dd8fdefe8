"""The charts' parts: :mod:`kit` (document, labels, scales, placement) and one module per
family of charts. The public functions are gathered in :mod:`jornada.render.charts`."""
