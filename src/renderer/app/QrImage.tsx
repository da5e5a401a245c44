// The receipt's QR code (the fiscal.qr string) drawn by the `qrcode` library into a data: URL image.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

export function QrImage({ text, alt }: { text: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: 176 })
      .then((u) => {
        if (live) setUrl(u);
      })
      .catch(() => {
        if (live) setUrl(null);
      });
    return () => {
      live = false;
    };
  }, [text]);
  if (!url) return null;
  return <img className="qr" src={url} alt={alt} width={176} height={176} />;
}
