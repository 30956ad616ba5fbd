// CellPilot annotator: a canvas viewer over the server's tiles, prompts sent to the server's session, the
// session's masks drawn back. No build step, no libraries. Coordinates sent to the server are image pixels.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const canvas = $('canvas');
  const ctx = canvas.getContext('2d');
  const viewer = $('viewer');
  // A token given as #token=T (never sent in the URL) goes in every request's Authorization header.
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const headers = token ? { Authorization: 'Bearer ' + token } : {};

  const app = {
    image: null,        // {id, name, width, height, levels, tile}
    session: null,      // session id
    region: null,       // [x, y, w, h] the session covers
    masks: [],          // [{id, type, color, area, iou, geometry, path}]
    selected: null,     // the mask id prompts refine
    clicks: [],         // this mask's points, shown as markers
    view: { x: 0, y: 0, scale: 1 },
    tiles: new Map(),
    busy: false,
    encoded: false,     // the session's image embedding is ready
    latencies: [],      // click (or box) -> mask drawn, ms
  };
  window.cellpilot = app; // for tests and the curious

  async function api(path, options = {}) {
    const init = { ...options, headers: { ...headers, ...(options.headers || {}) } };
    if (options.json !== undefined) {
      init.method = init.method || 'POST';
      init.body = JSON.stringify(options.json);
      init.headers['Content-Type'] = 'application/json';
    }
    const r = await fetch(path, init);
    if (!r.ok) {
      let detail = r.status + ' ' + r.statusText;
      try { detail = (await r.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return r;
  }

  function status(text, error = false) {
    $('status').textContent = text;
    $('status').classList.toggle('error', error);
  }

  // ---- images and sessions ----------------------------------------------------------------------------
  async function loadInfo() {
    const info = await (await api('/api/info')).json();
    $('model').textContent = info.sam ? 'SAM: ' + info.model : 'No SAM weights: automatic mode only';
    const list = await (await api('/api/images')).json();
    const select = $('images');
    select.innerHTML = '<option value="">— choose —</option>';
    for (const name of list.images) {
      select.add(new Option(name, 'file:' + name));
    }
  }

  async function openImage(id, region) {
    status('Opening…');
    const body = { image: id };
    if (region) body.region = region;
    const s = await (await api('/api/sessions', { json: body })).json();
    const first = !app.image || app.image.id !== s.image;
    app.image = { id: s.image, name: s.name, width: s.width, height: s.height, levels: s.levels, tile: s.tile };
    app.session = s.id;
    app.region = s.region;
    app.selected = null;
    app.clicks = [];
    if (first) {
      app.tiles.clear();
      fit();
    }
    $('empty').hidden = true;
    apply(s);
    viewer.focus();
    // The encoder runs now, while the user looks; a click made meanwhile waits for it on the server.
    app.encoded = false;
    status(app.image.name + ': preparing the image for SAM…');
    const session = s.id;
    await api('/api/sessions/' + session + '/encode', { json: {} });
    if (app.session !== session) return;
    app.encoded = true;
    status(app.image.name + ': ' + s.width + ' × ' + s.height + ' px. Click a cell or gland to segment it.');
  }

  // ---- server state ------------------------------------------------------------------------------------
  function apply(state) {
    app.masks = state.masks.map((m) => ({ ...m, path: path(m.geometry) }));
    app.selected = state.selected;
    draw();
    list();
  }

  function path(geometry) {
    const p = new Path2D();
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const rings of polygons) {
      for (const ring of rings) {
        ring.forEach(([x, y], i) => (i === 0 ? p.moveTo(x, y) : p.lineTo(x, y)));
        p.closePath();
      }
    }
    return p;
  }

  async function call(action, body = {}) {
    if (!app.session || app.busy) return null;
    app.busy = true;
    try {
      const state = await (await api('/api/sessions/' + app.session + '/' + action, { json: body })).json();
      apply(state);
      return state;
    } catch (e) {
      status(e.message, true);
      return null;
    } finally {
      app.busy = false;
    }
  }

  async function prompt(body, label) {
    const t0 = performance.now();
    if (app.selected !== null) body.mask = app.selected;
    const state = await call('prompt', body);
    if (!state) return;
    await new Promise((r) => requestAnimationFrame(r));
    const ms = performance.now() - t0;
    app.latencies.push(ms);
    const m = app.masks.find((x) => x.id === app.selected);
    status(label + ' → mask #' + app.selected + (m ? ', ' + m.area + ' px' : '') + ' in ' + Math.round(ms) + ' ms');
  }

  async function automatic() {
    if (!app.session || app.busy) return;
    const progress = $('progress');
    progress.hidden = false;
    $('bar').style.width = '0';
    $('progressText').textContent = 'Finding cells…';
    const t0 = performance.now();
    const poll = setInterval(async () => {
      try {
        const p = await (await api('/api/sessions/' + app.session + '/progress')).json();
        if (p.total > 0) {
          $('bar').style.width = (100 * p.done / p.total) + '%';
          $('progressText').textContent = p.done + ' / ' + p.total + ' cells';
        }
      } catch (e) { /* the next poll or the result will tell */ }
    }, 200);
    const state = await call('automatic');
    clearInterval(poll);
    progress.hidden = true;
    if (state) {
      const auto = state.masks.filter((m) => m.source === 'automatic').length;
      status('Automatic: ' + auto + ' cells in ' + ((performance.now() - t0) / 1000).toFixed(1) + ' s');
    }
  }

  async function download(format) {
    if (!app.session) return;
    try {
      const r = await api('/api/sessions/' + app.session + '/export?format=' + format);
      const name = (r.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(await r.blob());
      a.download = name ? name[1] : 'export';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      status('Exported ' + a.download);
    } catch (e) {
      status(e.message, true);
    }
  }

  // ---- drawing -----------------------------------------------------------------------------------------
  function resize() {
    const r = viewer.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(r.width));
    canvas.height = Math.max(1, Math.round(r.height));
    draw();
  }

  function fit() {
    if (!app.image) return;
    const s = Math.min(canvas.width / app.image.width, canvas.height / app.image.height) * 0.96;
    app.view.scale = s;
    app.view.x = (app.image.width - canvas.width / s) / 2;
    app.view.y = (app.image.height - canvas.height / s) / 2;
    draw();
  }

  function toImage(e) {
    const r = canvas.getBoundingClientRect();
    return [app.view.x + (e.clientX - r.left) / app.view.scale, app.view.y + (e.clientY - r.top) / app.view.scale];
  }

  function tile(level, col, row) {
    const key = level + '/' + col + '/' + row;
    let t = app.tiles.get(key);
    if (!t) {
      t = { bitmap: null };
      app.tiles.set(key, t);
      api('/api/images/tile?image=' + encodeURIComponent(app.image.id) + '&level=' + level + '&col=' + col + '&row=' + row)
        .then((r) => r.blob()).then(createImageBitmap).then((b) => { t.bitmap = b; draw(); })
        .catch(() => app.tiles.delete(key));
    }
    return t.bitmap;
  }

  function drawLevel(level) {
    const im = app.image;
    const span = im.tile << level; // image pixels per tile
    const v = app.view;
    const c0 = Math.max(0, Math.floor(v.x / span));
    const r0 = Math.max(0, Math.floor(v.y / span));
    const c1 = Math.min(Math.ceil(im.width / span), Math.ceil((v.x + canvas.width / v.scale) / span));
    const r1 = Math.min(Math.ceil(im.height / span), Math.ceil((v.y + canvas.height / v.scale) / span));
    for (let row = r0; row < r1; row++) {
      for (let col = c0; col < c1; col++) {
        const b = tile(level, col, row);
        if (b) ctx.drawImage(b, col * span, row * span, b.width << level, b.height << level);
      }
    }
  }

  function draw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#2b2f36';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!app.image) return;
    const v = app.view;
    ctx.setTransform(v.scale, 0, 0, v.scale, -v.x * v.scale, -v.y * v.scale);
    ctx.imageSmoothingEnabled = v.scale < 2;
    // The coarsest level under the current one, so panning never shows holes while tiles load.
    const level = Math.max(0, Math.min(app.image.levels - 1, Math.floor(Math.log2(1 / v.scale))));
    if (level !== app.image.levels - 1) drawLevel(app.image.levels - 1);
    drawLevel(level);
    const px = 1 / v.scale;
    if (app.region && (app.region[2] < app.image.width || app.region[3] < app.image.height)) {
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.strokeStyle = '#ffffffaa';
      ctx.lineWidth = px;
      ctx.strokeRect(...app.region);
      ctx.setLineDash([]);
    }
    for (const m of app.masks) {
      const selected = m.id === app.selected;
      ctx.fillStyle = m.color + (selected ? '55' : m.source === 'automatic' ? '22' : '30');
      ctx.fill(m.path, 'evenodd');
      ctx.strokeStyle = selected ? '#ffffff' : m.color;
      ctx.lineWidth = (selected ? 2.5 : m.source === 'automatic' ? 1 : 2) * px;
      ctx.stroke(m.path);
    }
    for (const c of app.clicks) {
      ctx.beginPath();
      ctx.arc(c.x, c.y, 6 * px, 0, 2 * Math.PI);
      ctx.fillStyle = c.positive ? '#22c55e' : '#ef4444';
      ctx.fill();
      ctx.lineWidth = 2 * px;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    }
    if (drag && drag.box) {
      ctx.setLineDash([5 * px, 3 * px]);
      ctx.strokeStyle = '#ffe14d';
      ctx.lineWidth = 2 * px;
      ctx.strokeRect(drag.x0, drag.y0, drag.x1 - drag.x0, drag.y1 - drag.y0);
      ctx.setLineDash([]);
    }
  }

  function list() {
    const body = $('list').tBodies[0];
    body.innerHTML = '';
    const drawn = app.masks.filter((m) => m.source === 'interactive').length;
    $('count').textContent = app.masks.length === 0 ? 'No masks yet.'
      : app.masks.length + ' masks: ' + drawn + ' drawn, ' + (app.masks.length - drawn) + ' automatic';
    for (const m of app.masks) {
      const tr = body.insertRow();
      tr.dataset.id = m.id;
      tr.classList.toggle('selected', m.id === app.selected);
      // Colours go through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = m.color;
      tr.insertCell().append(swatch, String(m.id));
      tr.insertCell().textContent = m.type || (m.source === 'interactive' ? 'drawn' : 'cell');
      const area = tr.insertCell();
      area.className = 'num';
      area.textContent = m.area.toLocaleString('en');
      const iou = tr.insertCell();
      iou.className = 'num';
      iou.textContent = m.iou === null ? '–' : m.iou.toFixed(3);
      tr.onclick = () => select(m.id);
      if (m.id === app.selected) tr.scrollIntoView({ block: 'nearest' });
    }
  }

  function select(id) {
    app.selected = id;
    app.clicks = [];
    draw();
    list();
  }

  // ---- input -------------------------------------------------------------------------------------------
  let drag = null;
  viewer.addEventListener('contextmenu', (e) => e.preventDefault());
  viewer.addEventListener('mousedown', (e) => {
    if (!app.image) return;
    viewer.focus();
    const [x, y] = toImage(e);
    const pan = e.button === 1 || (e.button === 0 && e.shiftKey);
    drag = { x0: x, y0: y, x1: x, y1: y, sx: e.clientX, sy: e.clientY, button: e.button, pan, box: false, alt: e.altKey };
    e.preventDefault();
  });
  window.addEventListener('mousemove', (e) => {
    if (!drag) return;
    if (drag.pan) {
      app.view.x -= (e.clientX - drag.sx) / app.view.scale;
      app.view.y -= (e.clientY - drag.sy) / app.view.scale;
      drag.sx = e.clientX;
      drag.sy = e.clientY;
      draw();
      return;
    }
    [drag.x1, drag.y1] = toImage(e);
    if (drag.button === 0 && Math.hypot(e.clientX - drag.sx, e.clientY - drag.sy) > 5) drag.box = true;
    if (drag.box) draw();
  });
  window.addEventListener('mouseup', (e) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    if (d.pan) return;
    if (d.box) {
      const box = [Math.min(d.x0, d.x1), Math.min(d.y0, d.y1), Math.max(d.x0, d.x1), Math.max(d.y0, d.y1)].map(Math.round);
      draw();
      if (box[2] > box[0] && box[3] > box[1]) prompt({ box }, 'Box');
      return;
    }
    const [x, y] = [Math.floor(d.x0), Math.floor(d.y0)];
    if (x < 0 || y < 0 || x >= app.image.width || y >= app.image.height) return;
    const positive = d.button === 0 && !d.alt;
    if (app.selected === null && positive) {
      const hit = [...app.masks].reverse().find((m) => {
        const v = app.view;
        ctx.setTransform(v.scale, 0, 0, v.scale, -v.x * v.scale, -v.y * v.scale);
        const r = canvas.getBoundingClientRect();
        return ctx.isPointInPath(m.path, e.clientX - r.left, e.clientY - r.top, 'evenodd');
      });
      if (hit) {
        select(hit.id);
        status('Mask #' + hit.id + ' selected: clicks now refine it (Enter: new mask)');
        return;
      }
    }
    const r = app.region;
    if (r && (x < r[0] || y < r[1] || x >= r[0] + r[2] || y >= r[1] + r[3])) {
      status('Outside this session\'s field of view: press V to start a session on the current view', true);
      return;
    }
    app.clicks.push({ x: x + 0.5, y: y + 0.5, positive });
    draw();
    prompt({ points: [[x, y, positive ? 1 : 0]] }, positive ? 'Positive point' : 'Negative point');
  });
  viewer.addEventListener('wheel', (e) => {
    if (!app.image) return;
    e.preventDefault();
    const [x, y] = toImage(e);
    const f = Math.exp(-e.deltaY * 0.0015);
    app.view.scale = Math.min(32, Math.max(0.01, app.view.scale * f));
    const r = canvas.getBoundingClientRect();
    app.view.x = x - (e.clientX - r.left) / app.view.scale;
    app.view.y = y - (e.clientY - r.top) / app.view.scale;
    draw();
  }, { passive: false });

  function visibleRegion() {
    const v = app.view;
    return [v.x, v.y, canvas.width / v.scale, canvas.height / v.scale].map(Math.round);
  }

  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const key = e.key.toLowerCase();
    if ((e.ctrlKey || e.metaKey) && key === 'z') {
      e.preventDefault();
      app.clicks = [];
      call(e.shiftKey ? 'redo' : 'undo');
    } else if ((e.ctrlKey || e.metaKey) && key === 'y') {
      e.preventDefault();
      call('redo');
    } else if (e.key === 'Enter' || e.key === 'Escape') {
      select(null);
      status('Next click starts a new mask');
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && app.selected !== null) {
      e.preventDefault();
      call('remove', { mask: app.selected });
      app.clicks = [];
    } else if (key === 'a' && !e.ctrlKey && !e.metaKey) {
      automatic();
    } else if (key === 'f') {
      fit();
    } else if (key === 'v' && app.image) {
      openImage(app.image.id, visibleRegion());
    }
  });

  $('new').onclick = () => { select(null); status('Next click starts a new mask'); };
  $('delete').onclick = () => app.selected !== null && call('remove', { mask: app.selected });
  $('undo').onclick = () => call('undo');
  $('redo').onclick = () => call('redo');
  $('auto').onclick = automatic;
  $('exportGeojson').onclick = () => download('geojson');
  $('exportCoco').onclick = () => download('coco');
  $('exportLabels').onclick = () => download('labels');
  $('images').onchange = (e) => e.target.value && openImage(e.target.value, null).catch((err) => status(err.message, true));
  $('upload').onchange = async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      status('Uploading ' + file.name + '…');
      const r = await api('/api/images?name=' + encodeURIComponent(file.name), { method: 'POST', body: file });
      const image = await r.json();
      $('images').add(new Option(image.name + ' (upload)', image.id), 1);
      $('images').value = image.id;
      await openImage(image.id, null);
    } catch (err) {
      status(err.message, true);
    }
  };
  $('import').onchange = async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file || !app.session || app.busy) return;
    app.busy = true;
    try {
      const r = await api('/api/sessions/' + app.session + '/import', { method: 'POST', body: await file.text() });
      apply(await r.json());
      status('Opened ' + file.name + ': ' + app.masks.length + ' masks');
    } catch (err) {
      status(err.message, true);
    } finally {
      app.busy = false;
    }
  };
  window.addEventListener('resize', resize);
  resize();
  loadInfo().then(() => { app.ready = true; }).catch((e) => status(e.message, true));
})();
