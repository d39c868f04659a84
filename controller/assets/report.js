(function () {
  'use strict';
  var table = document.getElementById('host-table');
  if (!table) return;
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var hosts = Array.prototype.filter.call(table.tBodies, function (b) {
    return b.classList.contains('host');
  });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filters = ['outcome', 'firewall', 'os', 'tag'];
  var state = {};
  var text = function (el) { return el ? el.textContent.trim() : ''; };
  var control = function (k) { return document.getElementById('filter-' + k); };

  function matches(h) {
    if (state.outcome && h.dataset.outcome !== state.outcome) return false;
    if (state.firewall && h.dataset.firewall !== state.firewall) return false;
    if (state.os && h.dataset.os !== state.os) return false;
    if (!state.tag) return true;
    var want = state.tag.toLowerCase();
    return Array.prototype.some.call(h.querySelectorAll('td.tags .tag'), function (t) {
      return text(t).toLowerCase().indexOf(want) !== -1;
    });
  }

  function read() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    filters.forEach(function (k) { state[k] = params.get(k) || ''; });
    state.sort = params.get('sort') || 'outcome';
    state.dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  }

  function write() {
    var params = new URLSearchParams();
    filters.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    if (state.sort !== 'outcome' || state.dir !== 'asc') {
      params.set('sort', state.sort);
      if (state.dir === 'desc') params.set('dir', 'desc');
    }
    var fragment = params.toString();
    try {
      history.replaceState(null, '', location.href.split('#')[0] + (fragment ? '#' + fragment : ''));
    } catch (e) {
      location.replace('#' + fragment);
    }
  }

  function sync() {
    filters.forEach(function (k) {
      var c = control(k);
      if (!c) return;
      if (c.tagName === 'SELECT' && state[k] &&
          !Array.prototype.some.call(c.options, function (o) { return o.value === state[k]; })) {
        var option = document.createElement('option');
        option.value = state[k];
        option.textContent = state[k] + ' (no hosts)';
        c.appendChild(option);
      }
      c.value = state[k];
    });
  }

  function filter() {
    var n = 0;
    hosts.forEach(function (h) {
      var ok = matches(h);
      h.hidden = !ok;
      if (ok) n++;
    });
    var shown = document.getElementById('shown');
    shown.dataset.shown = n;
    document.getElementById('shown-count').textContent = n;
    var active = filters.filter(function (k) { return state[k]; }).map(function (k) {
      return k + (k === 'tag' ? ' contains "' : ' is "') + state[k] + '"';
    });
    document.getElementById('filter-description').textContent =
      active.length ? ', filtered: ' + active.join(', ') : '';
  }

  function key(h, column, index) {
    if (column === 'outcome') return Number(h.dataset.order);
    if (column === 'heal') return Number(h.dataset.heal);
    if (column === 'name') return h.dataset.name;
    var value = text(h.rows[0].cells[index]);
    return value === '-' ? '' : value;
  }

  function compare(column, index, sign) {
    return function (a, b) {
      var x = key(a, column, index), y = key(b, column, index), r = 0;
      var xnone = column === 'heal' ? x < 0 : x === '', ynone = column === 'heal' ? y < 0 : y === '';
      if (xnone !== ynone) return xnone ? 1 : -1;
      if (typeof x === 'number') r = x - y;
      else r = x.localeCompare(y, undefined, {numeric: true, sensitivity: 'base'});
      return r * sign || Number(a.dataset.order) - Number(b.dataset.order);
    };
  }

  function sort() {
    var index = headers.findIndex(function (th) { return th.dataset.sort === state.sort; });
    if (index < 0) {
      state.sort = 'outcome';
      state.dir = 'asc';
      index = headers.findIndex(function (th) { return th.dataset.sort === 'outcome'; });
    }
    hosts.slice().sort(compare(state.sort, index, state.dir === 'desc' ? -1 : 1))
      .forEach(function (h) { table.appendChild(h); });
    headers.forEach(function (th, i) {
      th.setAttribute('aria-sort', i === index ? (state.dir === 'desc' ? 'descending' : 'ascending')
                                               : 'none');
    });
  }

  function refresh() {
    read();
    sync();
    filter();
    sort();
  }

  filters.forEach(function (k) {
    var c = control(k);
    if (!c) return;
    c.addEventListener(c.tagName === 'SELECT' ? 'change' : 'input', function () {
      state[k] = c.value;
      write();
      filter();
    });
  });
  headers.forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () {
      state.dir = state.sort === th.dataset.sort && state.dir === 'asc' ? 'desc' : 'asc';
      state.sort = th.dataset.sort;
      write();
      sort();
    });
  });
  document.getElementById('filter-clear').addEventListener('click', function () {
    filters.forEach(function (k) { state[k] = ''; });
    write();
    sync();
    filter();
  });
  var open = function (value) {
    return function () { each(document.querySelectorAll('tbody.host details'), function (d) {
      d.open = value;
    }); };
  };
  document.getElementById('expand-all').addEventListener('click', open(true));
  document.getElementById('collapse-all').addEventListener('click', open(false));
  var closed = [];
  window.addEventListener('beforeprint', function () {
    closed = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) {
      return !d.open;
    });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
  window.addEventListener('hashchange', refresh);
  refresh();
  document.getElementById('controls').hidden = false;
})();
