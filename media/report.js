// The report's only script: it receives plain data from the extension and builds the page with DOM
// APIs (no innerHTML of data), so nothing in a finding can inject markup.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('report');
  const LEVELS = ['error', 'warning', 'note'];

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    return node;
  }
  function svg(tag, attributes, ...children) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }
  const link = (text, file, line) => el('a', { onclick: () => vscode.postMessage({ type: 'open', file, line }), title: `${file}:${line}` }, text);
  const count = (levels) => LEVELS.reduce((sum, level) => sum + (levels[level] || 0), 0);

  /** Stacked horizontal bars by category: errors, warnings, notes. */
  function chart(byCategory) {
    // Drawn in a fixed coordinate space and scaled to the panel's width, so bars never overflow.
    const rowHeight = 22, label = 150, width = 520;
    const max = Math.max(1, ...byCategory.map(([, levels]) => count(levels)));
    const height = byCategory.length * rowHeight + 8;
    const node = svg('svg', { viewBox: `0 0 ${label + width + 40} ${height}`, width: '100%', preserveAspectRatio: 'xMinYMin meet', role: 'img', 'aria-label': 'Findings by category' });
    node.classList.add('chart');
    byCategory.forEach(([category, levels], index) => {
      const y = index * rowHeight + 4;
      node.append(svg('text', { x: 0, y: y + 14 }, category));
      let x = label;
      for (const level of LEVELS) {
        const w = ((levels[level] || 0) / max) * width;
        if (w > 0) node.append(svg('rect', { x, y, width: Math.max(w, 2), height: rowHeight - 6, class: `bar-${level}` }, svg('title', {}, `${levels[level]} ${level}`)));
        x += w;
      }
      node.append(svg('text', { x: x + 6, y: y + 14 }, count(levels)));
    });
    return node;
  }

  function folder(data) {
    const section = el('section', {});
    section.append(el('h1', {}, data.name, ' ', el('span', { class: 'mode' }, data.mode ? `mode: ${data.mode}` : 'no privacy.json')));
    if (!data.scanned) {
      section.append(el('p', { class: 'muted' }, 'No workspace scan yet. ', el('button', { onclick: () => vscode.postMessage({ type: 'command', command: 'offbox.scanWorkspace' }) }, 'Scan Workspace')));
      return section;
    }
    const totals = el('div', { class: 'totals' });
    for (const level of LEVELS) totals.append(el('div', { class: 'total' }, el('b', { class: level }, data.byLevel[level] || 0), level === 'note' ? 'allowed (notes)' : `${level}s`));
    section.append(totals);
    section.append(el('h2', {}, 'By category'), chart(data.byCategory));
    section.append(el('h2', {}, 'By vendor and destination'));
    const table = el('table', {}, el('tr', {}, el('th', {}, 'Recipient'), el('th', {}, 'Category'), ...LEVELS.map((level) => el('th', { class: level }, level)), el('th', {}, 'Where')));
    for (const vendor of data.vendors) {
      const places = el('details', {}, el('summary', {}, `${vendor.places.length} place${vendor.places.length === 1 ? '' : 's'}`));
      const list = el('ul', {});
      for (const place of vendor.places.slice(0, 50)) list.append(el('li', {}, link(`${place.file.split('/').slice(-2).join('/')}:${place.line}`, place.file, place.line), ' ', el('span', { class: place.level }, place.level), ' — ', place.message));
      places.append(list);
      table.append(el('tr', {}, el('td', {}, vendor.name), el('td', {}, vendor.category), ...LEVELS.map((level) => el('td', { class: level }, vendor.levels[level] || '')), el('td', {}, places)));
    }
    section.append(table);
    section.append(el('h2', {}, 'Policy document drift'));
    if (data.drift.length === 0) section.append(el('p', { class: 'muted' }, data.mode ? 'The privacy policy and the code agree (or privacy.json names no policy document).' : 'Declare a mode and a policy document in privacy.json to check it against the code.'));
    else {
      const list = el('ul', {});
      for (const item of data.drift) list.append(el('li', {}, link(item.rule, item.file, item.line), ': ', item.message));
      section.append(list);
    }
    return section;
  }

  window.addEventListener('message', (event) => {
    if (event.data.type !== 'data') return;
    root.replaceChildren(...event.data.data.folders.map(folder));
    if (event.data.data.folders.length === 0) root.replaceChildren(el('p', { class: 'muted' }, 'Open a folder to see its report.'));
  });
  vscode.postMessage({ type: 'ready' });
})();
